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
