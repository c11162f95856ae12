import { randomUUID } from 'node:crypto';
import type { EventContract, EventPayload } from '@sagamart/contracts';
import { CompiledQuery, type Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { ServiceMetrics } from '../metrics.ts';
import { sentWithNextStatement } from '../prepared-statements.ts';
import { injectTraceContext } from '../tracing.ts';
import { answeredWithin, endWithin, retryUntilConnected } from './reconnect.ts';
import type { MessagingTables } from './schema.ts';
import { HEADER, type Transport } from './transport.ts';

const OUTBOX_CHANNEL = 'sagamart_outbox';

/** The relay's LISTEN connection's application_name, so that it can be told apart in pg_stat_activity. */
export const OUTBOX_LISTENER_NAME = 'sagamart-outbox-listener';

/**
 * An event's row and the relay's wake-up, in one statement (NOTIFY is delivered only if the
 * transaction commits, so the relay never wakes for an event that does not exist). No one reads its
 * answer: in a transaction it goes with the transaction's next statement or its COMMIT.
 */
const INSERT_EVENT = sentWithNextStatement(
  `with inserted as (insert into outbox (id, topic, headers, payload) values ($1, $2, $3::jsonb, $4::jsonb) returning id)
   select pg_notify('${OUTBOX_CHANNEL}', '') from inserted`,
);

/** Anything that can run queries: the database or a transaction of it. */
type Executor = Kysely<MessagingTables> | Kysely<any>;

/** Thrown when a payload breaks its contract: a programming error, never sent. */
export class ContractViolation extends Error {
  constructor(contract: EventContract, problems: string[]) {
    super(`${contract.name} v${contract.version} payload is invalid: ${problems.join('; ')}`);
    this.name = 'ContractViolation';
  }
}

/** The transactions (or databases, outside one) that events were published in. */
const publishers = new WeakSet<object>();

/** Whether `publish` wrote an event with this transaction. */
export function publishedIn(trx: object): boolean {
  return publishers.has(trx);
}

/**
 * Writes events to the outbox inside the caller's transaction, so an event exists exactly when the
 * state change that caused it was committed. The relay delivers it afterwards.
 */
export function createEventPublisher(source: string) {
  return async function publish<C extends EventContract>(
    trx: Executor,
    contract: C,
    payload: EventPayload<C>,
    options: { messageId?: string } = {},
  ): Promise<string> {
    const problems = contract.validate(payload);
    if (problems.length > 0) throw new ContractViolation(contract, problems);
    const id = options.messageId ?? randomUUID();
    const headers: Record<string, string> = {
      [HEADER.messageId]: id,
      [HEADER.event]: contract.name,
      [HEADER.version]: String(contract.version),
      [HEADER.source]: source,
      [HEADER.occurredAt]: new Date().toISOString(),
    };
    injectTraceContext(headers);
    await trx.executeQuery(
      CompiledQuery.raw(INSERT_EVENT, [id, contract.name, JSON.stringify(headers), JSON.stringify(payload)]),
    );
    publishers.add(trx);
    return id;
  };
}

export type PublishEvent = ReturnType<typeof createEventPublisher>;

export interface OutboxRelayOptions {
  db: Kysely<MessagingTables>;
  /** URL of the service database, for the LISTEN connection. */
  url: string;
  transport: Transport;
  metrics: ServiceMetrics;
  log: Logger;
  batchSize?: number;
  /** Safety-net poll while the LISTEN connection is up (30 s); 1 s while it is down. */
  pollMs?: number;
  /**
   * How long the safety-net poll's look on the LISTEN connection may go unanswered before the
   * connection is taken for lost and replaced (5 s): a network that drops packets closes nothing.
   */
  listenerTimeoutMs?: number;
}

/**
 * How often the relay looks without a notification while it listens: a commit of this process kicks
 * it and every other commit notifies it, so this only bounds a notification lost with a healthy
 * connection (docs/performance.md, change 28: every look is a wake-up of the process and a backend).
 */
const LISTENED_POLL_MS = 30_000;
/** How often the relay looks without a notification while it cannot listen. */
const UNLISTENED_POLL_MS = 1_000;
const LISTENER_TIMEOUT_MS = 5_000;

/**
 * Moves outbox rows to the transport. Rows are deleted in a transaction that commits only after the
 * transport confirmed them (they stay locked meanwhile), so a crash at any point re-drives them
 * (consumers dedupe by message id).
 */
export class OutboxRelay {
  private running: Promise<void> | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;
  private pending = false;
  private listener: pg.Client | undefined;
  /** True while a lost LISTEN connection is being opened again (one retry loop at a time). */
  private reconnecting = false;

  constructor(private readonly options: OutboxRelayOptions) {
    options.metrics.sources.outboxBacklog = () => this.backlog();
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
    this.running = this.loop();
  }

  /**
   * A transaction of this process that published has committed. Its NOTIFY wakes the relay when it
   * listens (a kick as well would make a second, empty drain); without the LISTEN connection, look now.
   */
  committed(): void {
    if (!this.listener) this.kick();
  }

  /** Nudges the relay: a notification, a (re)connected listener, or a commit while not listening. */
  kick(): void {
    this.pending = true;
    this.wake?.();
  }

  async backlog(): Promise<number> {
    const row = await this.options.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Delivers everything currently in the outbox; returns how many messages were sent. */
  async drain(): Promise<number> {
    let total = 0;
    const batchSize = this.options.batchSize ?? 200;
    for (;;) {
      const sent = await this.options.db.transaction().execute(async (trx) => {
        // Taken out of the outbox in one statement; a failed publish rolls the delete back.
        const taken = await trx
          .deleteFrom('outbox')
          .where('seq', 'in', (eb) =>
            eb.selectFrom('outbox').select('seq').orderBy('seq').limit(batchSize).forUpdate().skipLocked(),
          )
          .returningAll()
          .execute();
        if (taken.length === 0) return 0;
        const rows = taken.sort((a, b) => Number(a.seq) - Number(b.seq));
        await this.options.transport.publish(
          rows.map((r) => ({ id: r.id, topic: r.topic, headers: r.headers, payload: r.payload })),
        );
        for (const r of rows) this.options.metrics.eventsPublished.inc({ event: r.topic });
        return rows.length;
      });
      total += sent;
      // A short batch emptied the outbox: rows committed since then notify, and the loop runs again.
      if (sent < batchSize) return total;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await endWithin(listener, this.listenerTimeoutMs());
  }

  private async loop(): Promise<void> {
    let failures = 0;
    // The last wait ended on the safety-net timer, not on a kick or a notification.
    let timedOut = false;
    while (!this.stopped) {
      this.pending = false;
      try {
        if (!(timedOut && (await this.emptyByListener()))) await this.drain();
        failures = 0;
      } catch (error) {
        failures++;
        this.options.log.warn({ err: error }, 'outbox relay could not deliver; will retry');
      }
      // Every commit in this process kicks the relay and every commit elsewhere notifies it, so the
      // poll only catches a notification lost with the LISTEN connection: rare while it is up.
      const poll = this.listener ? (this.options.pollMs ?? LISTENED_POLL_MS) : UNLISTENED_POLL_MS;
      const delay = failures ? Math.min(5_000, 100 * 2 ** failures) : poll;
      timedOut = await new Promise<boolean>((resolve) => {
        if (this.pending || this.stopped) return resolve(false);
        const timer = setTimeout(() => done(true), delay);
        const self = this;
        function done(timerFired = false) {
          clearTimeout(timer);
          self.wake = undefined;
          resolve(timerFired);
        }
        this.wake = done;
      });
    }
  }

  /**
   * The safety-net poll asks on the LISTEN connection whether the outbox holds anything, and takes a
   * pool connection only when it does: at idle the pool then lets its connections go (one PostgreSQL
   * backend less per service). Any doubt (no listener, an error) drains as before. The look is also
   * the connection's check: unanswered within listenerTimeoutMs, the connection is replaced.
   */
  private async emptyByListener(): Promise<boolean> {
    const listener = this.listener;
    if (!listener) return false;
    try {
      const { rows } = await answeredWithin(
        listener,
        listener.query<{ any: boolean }>('select exists (select 1 from outbox) as any'),
        this.listenerTimeoutMs(),
      );
      return rows[0]?.any === false;
    } catch {
      return false;
    }
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: OUTBOX_LISTENER_NAME,
      // The kernel's probes keep a NAT's or firewall's entry alive; the poll's look finds a dead one.
      keepAlive: true,
      connectionTimeoutMillis: this.listenerTimeoutMs(),
    });
    client.on('notification', () => this.kick());
    client.on('error', (error) => {
      if (this.listener !== client) return; // a second error of the same loss, or a failed attempt
      this.listener = undefined;
      this.options.log.warn(
        { err: error },
        'outbox relay lost its LISTEN connection; polling until it is back',
      );
      this.kick(); // look now, then every UNLISTENED_POLL_MS until listening again
      this.relisten();
    });
    try {
      await client.connect();
      await answeredWithin(client, client.query(`listen ${OUTBOX_CHANNEL}`), this.listenerTimeoutMs());
      // Stopped while a reconnect was under way: nobody else would end this connection.
      if (this.stopped) throw new Error('outbox relay stopped');
    } catch (error) {
      await endWithin(client, this.listenerTimeoutMs());
      throw error;
    }
    this.listener = client;
    // Rows committed while no one listened were not announced: look now.
    this.kick();
  }

  private listenerTimeoutMs(): number {
    return this.options.listenerTimeoutMs ?? LISTENER_TIMEOUT_MS;
  }

  /** Listens again, backing off, until it does or the relay stops; polling delivers meanwhile. */
  private relisten(): void {
    if (this.reconnecting) return;
    this.reconnecting = true;
    void retryUntilConnected(() => this.listen(), { stopped: () => this.stopped }).finally(() => {
      this.reconnecting = false;
    });
  }
}
