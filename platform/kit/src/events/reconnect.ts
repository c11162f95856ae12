import type pg from 'pg';

export interface RetryOptions {
  /** True once the owner closed: no further attempt is made. */
  stopped: () => boolean;
  /** Hears each failed attempt. */
  onFailure?: (error: unknown) => void;
  /** The first wait (1 s); each failure doubles it, up to `maxMs` (30 s). */
  firstMs?: number;
  maxMs?: number;
}

/**
 * Runs `attempt` until it succeeds or its owner stops: a LISTEN connection lost in an outage is
 * opened again however long the outage lasts, not only if the database is back within one try.
 * Each wait is between half and all of its step, so the services that lost the database together
 * do not all reconnect at the same instant. The timers do not hold the process open.
 */
export async function retryUntilConnected(
  attempt: () => Promise<void>,
  { stopped, onFailure, firstMs = 1_000, maxMs = 30_000 }: RetryOptions,
): Promise<void> {
  let step = firstMs;
  while (!stopped()) {
    const wait = step / 2 + (Math.random() * step) / 2;
    await new Promise((resolve) => setTimeout(resolve, wait).unref());
    if (stopped()) return;
    try {
      await attempt();
      return;
    } catch (error) {
      onFailure?.(error);
      step = Math.min(step * 2, maxMs);
    }
  }
}

/**
 * A statement's answer on a LISTEN connection, or after `ms` a rejection and the connection
 * destroyed: a network that drops packets (a NAT or firewall that forgot the connection, a
 * partition) closes nothing, and only a statement left unanswered tells. Destroying the socket runs
 * the client's `end` and `error` events, so its owner's usual reconnect path takes over.
 */
export function answeredWithin<T>(client: pg.Client, query: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    // Timers run before the input that came meanwhile is read: after a stall of the process (a busy
    // machine) longer than `ms`, the answer may be waiting unread. Decided once it has been read.
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (settled) return;
          settled = true;
          reject(new Error(`no answer on the LISTEN connection within ${ms} ms; replacing it`));
          client.connection.stream.destroy();
        }),
      ms,
    );
    query.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Ends a client, or destroys its socket when a silent network keeps the goodbye from completing. */
export async function endWithin(client: pg.Client, ms: number): Promise<void> {
  const timer = setTimeout(() => client.connection.stream.destroy(), ms);
  try {
    await client.end();
  } catch {
    // Already gone.
  } finally {
    clearTimeout(timer);
  }
}
