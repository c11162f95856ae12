import { randomUUID } from 'node:crypto';
import type { EventContract, EventPayload } from '@sagamart/contracts';
import { CompiledQuery, type Kysely, sql } from 'kysely';
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
  /**
   * How long the relay waits for the transport to accept a batch (RabbitMQ's publisher confirms, the
   * queue's commit) before it backs off: `events.confirmTimeoutMs`, 30 s. The batch keeps its lease
   * and the relay waits for the same publish again, so a confirm that comes late sends nothing twice.
   */
  confirmTimeoutMs?: number;
  /**
   * How long a claim keeps its rows from every other relay: confirmTimeoutMs + 30 s, renewed before
   * each further wait for a late confirm. The rows of a relay that died holding one are sent again
   * once it has run out.
   */
  leaseMs?: number;
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
/** `events.confirmTimeoutMs`'s default. */
const CONFIRM_TIMEOUT_MS = 30_000;
/** A lease outlasts the wait for a confirm by this much: the backoff (5 s at most) and the statements. */
const LEASE_MARGIN_MS = 30_000;
/**
 * When the outbox holds rows that no claim could take and no lease of which is running (another
 * statement holds them locked: a claim under way, or a relay of the previous release, which locks
 * its batch while it publishes), the relay looks again after this.
 */
const LOCKED_LOOK_MS = 1_000;

/**
 * A condition that turns the statement's own commit asynchronous (`synchronous_commit` off for its
 * implicit transaction only; evaluated once, when the statement first writes a row). The relay's
 * bookkeeping (a lease taken, renewed or given up; confirmed rows deleted) may be lost with a crash of
 * the server: the rows are then published again, and consumers drop the copy by its message id. So
 * none of it waits for a WAL flush of its own; the outbox rows themselves are written by the
 * service's transactions, which stay synchronous.
 */
const ASYNC_COMMIT = sql`(select set_config('synchronous_commit', 'off', true)) is not null`;

/** The transport has not accepted a batch within confirmTimeoutMs (or the relay stopped waiting). */
class ConfirmPending extends Error {
  constructor(ms: number) {
    super(`the transport has not confirmed a batch of the outbox within ${ms} ms`);
    this.name = 'ConfirmPending';
  }
}

interface ClaimedRow {
  seq: number;
  id: string;
  topic: string;
  headers: Record<string, string>;
  payload: unknown;
}

/** A batch handed to the transport and not yet deleted: its rows stay leased to `token` until then. */
interface Batch {
  token: string;
  seqs: number[];
  topics: string[];
  published: Promise<void>;
  /** It was not confirmed within confirmTimeoutMs at its first wait. */
  late: boolean;
}

/**
 * Moves outbox rows to the transport without holding a transaction (or a row lock) while the
 * transport confirms (ADR 0022). A claim leases a batch in one statement that commits at once
 * (`claimed_until`, `claimed_by`; FOR UPDATE SKIP LOCKED only while it runs), the batch is published,
 * and its rows are deleted once the transport confirmed them. Another relay skips leased rows, so two
 * relays never publish a row at the same time while a lease holds; a crash at any point leaves the
 * rows leased and they are published again once the lease has run out (consumers dedupe by message
 * id). A confirm slower than `confirmTimeoutMs` leaves the batch leased: the relay logs once, backs
 * off, renews the lease and waits for that same publish again, deleting the rows once it is confirmed.
 */
export class OutboxRelay {
  private running: Promise<void> | undefined;
  private stopped = true;
  /** Resolved by stop(): the loop's wait for a confirm ends then. */
  private halted: Promise<void> = Promise.resolve();
  private halt: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private pending = false;
  private listener: pg.Client | undefined;
  /** True while a lost LISTEN connection is being opened again (one retry loop at a time). */
  private reconnecting = false;
  /** A batch published and not deleted yet (its confirm came late, or its delete failed). */
  private unconfirmed: Batch | undefined;
  /** When the next lease of the rows left in the outbox ends, when only leased rows are left. */
  private leaseEndsInMs: number | undefined;
  /** Since when the transport has been confirming late (logged once, when it began). */
  private lateSince: number | undefined;

  constructor(private readonly options: OutboxRelayOptions) {
    options.metrics.sources.outboxBacklog = () => this.backlog();
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.halted = new Promise<void>((resolve) => {
      this.halt = resolve;
    });
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

  /**
   * Delivers everything currently in the outbox that no other relay holds; returns how many messages
   * were sent. Rejects when a batch is not confirmed within confirmTimeoutMs (it stays leased, and
   * the next drain waits for it first).
   */
  drain(): Promise<number> {
    return this.drainUntil(undefined);
  }

  /** drain(), whose waits for a confirm also end when `halted` resolves. */
  private async drainUntil(halted: Promise<void> | undefined): Promise<number> {
    const batchSize = this.options.batchSize ?? 200;
    this.leaseEndsInMs = undefined;
    let total = 0;
    if (this.unconfirmed) total += await this.settleUnconfirmed(this.unconfirmed, halted);
    for (;;) {
      const { token, rows, leaseEndsInMs } = await this.claim(batchSize);
      if (rows.length === 0) {
        this.leaseEndsInMs = leaseEndsInMs;
        return total;
      }
      rows.sort((a, b) => Number(a.seq) - Number(b.seq));
      const messages = rows.map((r) => ({
        id: r.id,
        topic: r.topic,
        headers: r.headers,
        payload: r.payload,
      }));
      const published = Promise.resolve().then(() => this.options.transport.publish(messages));
      // Awaited below; once its wait timed out, only the late-confirm wake-up listens to it.
      published.catch(() => {});
      const batch: Batch = {
        token,
        seqs: rows.map((r) => Number(r.seq)),
        topics: rows.map((r) => r.topic),
        published,
        late: false,
      };
      total += await this.finish(batch, halted);
      // A short batch emptied the outbox: rows committed since then notify, and the loop runs again.
      if (rows.length < batchSize) return total;
    }
  }

  /**
   * Leases up to `limit` unleased rows to a new claim, in one statement that commits at once. When it
   * leases none, the same statement says when to look again (undefined: the outbox is empty): when
   * the first lease of the rows left ends, or after LOCKED_LOOK_MS for a row another statement holds
   * locked right now (a claim under way; a relay of the previous release, which locks its batch while
   * it publishes).
   */
  private async claim(
    limit: number,
  ): Promise<{ token: string; rows: ClaimedRow[]; leaseEndsInMs: number | undefined }> {
    const token = randomUUID();
    const { rows } = await sql<ClaimedRow & { look_in_ms: number | null }>`
      with next as (
        select seq from outbox
        where (claimed_until is null or claimed_until <= now()) and ${ASYNC_COMMIT}
        order by seq
        limit ${limit}
        for update skip locked
      ), claimed as (
        update outbox o
        set claimed_until = now() + ${this.leaseMs()}::int * interval '1 millisecond', claimed_by = ${token}
        from next
        where o.seq = next.seq
        returning o.seq, o.id, o.topic, o.headers, o.payload
      )
      select seq, id, topic, headers, payload, null::float8 as look_in_ms from claimed
      union all
      select null, null, null, null, null,
        (extract(epoch from min(coalesce(claimed_until, now())) - now()) * 1000)::float8
      from outbox
      where not exists (select 1 from claimed)`.execute(this.options.db);
    const claimed = rows.filter((r) => r.seq !== null);
    if (claimed.length > 0) return { token, rows: claimed, leaseEndsInMs: undefined };
    const ms = rows[0]?.look_in_ms ?? null;
    const leaseEndsInMs = ms === null ? undefined : ms > 0 ? Math.ceil(ms) + 5 : LOCKED_LOOK_MS;
    return { token, rows: [], leaseEndsInMs };
  }

  /**
   * Waits for the batch's confirm and deletes its rows. A publish that failed frees them for the next
   * try; one not confirmed within confirmTimeoutMs (or when `halted` resolves) leaves them leased and
   * rejects with ConfirmPending: the next drain waits for that same publish again.
   */
  private async finish(batch: Batch, halted: Promise<void> | undefined): Promise<number> {
    let confirmed: boolean;
    try {
      confirmed = await this.confirmedWithin(batch.published, halted);
    } catch (error) {
      if (this.unconfirmed === batch) this.unconfirmed = undefined;
      // Not accepted: the next try sends it (the lease would free the rows anyway, later).
      await this.release(batch).catch(() => {});
      throw error;
    }
    if (!confirmed) {
      if (this.unconfirmed !== batch) {
        this.unconfirmed = batch;
        // A late confirm wakes the relay at once, to delete the rows.
        batch.published.then(
          () => this.kick(),
          () => this.kick(),
        );
      }
      batch.late ||= !this.stopped;
      throw new ConfirmPending(this.confirmTimeoutMs());
    }
    // Kept until deleted: a delete that fails is tried again before anything new is claimed.
    this.unconfirmed = batch;
    await sql`delete from outbox where seq = any(${batch.seqs}::bigint[]) and ${ASYNC_COMMIT}`.execute(
      this.options.db,
    );
    this.unconfirmed = undefined;
    for (const topic of batch.topics) this.options.metrics.eventsPublished.inc({ event: topic });
    if (!batch.late && this.lateSince !== undefined) {
      this.options.log.info(
        { lateForMs: Date.now() - this.lateSince },
        'outbox relay: the transport confirms within events.confirmTimeoutMs again',
      );
      this.lateSince = undefined;
    }
    return batch.seqs.length;
  }

  /**
   * The batch left unconfirmed by an earlier drain: its lease renewed, then waited for as in finish.
   * A lease no longer its own (it ran out and another relay claimed the rows, or sent and deleted
   * them) ends the wait: the rows are that relay's now.
   */
  private async settleUnconfirmed(batch: Batch, halted: Promise<void> | undefined): Promise<number> {
    const renewed = await sql`update outbox
      set claimed_until = now() + ${this.leaseMs()}::int * interval '1 millisecond'
      where seq = any(${batch.seqs}::bigint[]) and claimed_by = ${batch.token} and ${ASYNC_COMMIT}`.execute(
      this.options.db,
    );
    if (Number(renewed.numAffectedRows ?? 0n) === 0) {
      this.unconfirmed = undefined;
      return 0;
    }
    return this.finish(batch, halted);
  }

  private async release(batch: Batch): Promise<void> {
    await sql`update outbox set claimed_until = null, claimed_by = null
      where seq = any(${batch.seqs}::bigint[]) and claimed_by = ${batch.token} and ${ASYNC_COMMIT}`.execute(
      this.options.db,
    );
  }

  /** Whether `published` resolved within confirmTimeoutMs (and before `halted`); rejects as it does. */
  private async confirmedWithin(
    published: Promise<void>,
    halted: Promise<void> | undefined,
  ): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const waits = [
      published.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), this.confirmTimeoutMs());
      }),
    ];
    if (halted) waits.push(halted.then(() => false));
    try {
      return await Promise.race(waits);
    } finally {
      clearTimeout(timer);
    }
  }

  private confirmTimeoutMs(): number {
    return this.options.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS;
  }

  private leaseMs(): number {
    return this.options.leaseMs ?? this.confirmTimeoutMs() + LEASE_MARGIN_MS;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.halt?.();
    this.wake?.();
    await this.running;
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await endWithin(listener, this.listenerTimeoutMs());
  }

  private async loop(): Promise<void> {
    let failures = 0;
    // The last wait ended on a timer (the safety-net poll, a lease's end), not on a kick or a notification.
    let timedOut = false;
    while (!this.stopped) {
      this.pending = false;
      try {
        const ahead = timedOut && !this.unconfirmed ? await this.aheadByListener() : 0;
        if (ahead === 0) await this.drainUntil(this.halted);
        else this.leaseEndsInMs = Number.isFinite(ahead) ? ahead : undefined;
        failures = 0;
      } catch (error) {
        failures++;
        if (error instanceof ConfirmPending) {
          // A wait that stop() cut short says nothing: the batch stays leased (stop's caller may drain).
          if (this.stopped) break;
          // Once while the transport confirms late, however many waits it takes.
          if (this.lateSince === undefined) {
            this.lateSince = Date.now();
            this.options.log.warn(
              { confirmTimeoutMs: this.confirmTimeoutMs() },
              'outbox relay: the transport has not confirmed a batch within events.confirmTimeoutMs; waiting for it, backing off',
            );
          }
        } else {
          this.options.log.warn({ err: error }, 'outbox relay could not deliver; will retry');
        }
      }
      // Every commit in this process kicks the relay and every commit elsewhere notifies it, so the
      // poll only catches a notification lost with the LISTEN connection: rare while it is up. Rows
      // left leased (another relay's, or a dead one's) are looked at again when the lease ends.
      const poll = this.listener ? (this.options.pollMs ?? LISTENED_POLL_MS) : UNLISTENED_POLL_MS;
      const delay = failures
        ? Math.min(5_000, 100 * 2 ** failures)
        : Math.min(poll, this.leaseEndsInMs ?? poll);
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
   * The safety-net poll asks on the LISTEN connection when the outbox next holds a row to claim, and
   * takes a pool connection only when one is there: at idle the pool then lets its connections go
   * (one PostgreSQL backend less per service). 0: drain now (a row is free, or in doubt: no listener,
   * an error); Infinity: the outbox is empty; else the ms until the first lease of its rows ends.
   * The look is also the connection's check: unanswered within listenerTimeoutMs, the connection is
   * replaced.
   */
  private async aheadByListener(): Promise<number> {
    const listener = this.listener;
    if (!listener) return 0;
    try {
      const { rows } = await answeredWithin(
        listener,
        // A free row ends the look at once; only an outbox of leased rows is read whole (it is small).
        listener.query<{ ms: number | null }>(
          `select case when exists (select 1 from outbox where claimed_until is null or claimed_until <= now()) then 0
             else (select extract(epoch from min(claimed_until) - now()) * 1000 from outbox) end::float8 as ms`,
        ),
        this.listenerTimeoutMs(),
      );
      const ms = rows[0]?.ms ?? null;
      if (ms === null) return Number.POSITIVE_INFINITY;
      return ms > 0 ? Math.ceil(ms) + 5 : 0;
    } catch {
      return 0;
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
