import type { Topology } from '@sagamart/contracts';
import pg from 'pg';
import { databaseUrl, ensureDatabase } from '../db.ts';
import { preparingPool } from '../prepared-statements.ts';
import { answeredWithin, endWithin, retryUntilConnected } from './reconnect.ts';
import type {
  BroadcastOptions,
  ConsumeOptions,
  DeliveredMessage,
  MessageHandler,
  OutgoingMessage,
  Subscription,
  Transport,
} from './transport.ts';

/**
 * A queue's wake-ups and a broadcast channel's messages each go out on a NOTIFY channel of their own,
 * so that a process hears only what it consumes or listens to: at idle, a catalog heartbeat no longer
 * wakes every service, and under load a publish wakes only its queues' consumers
 * (docs/performance.md, change 28). PostgreSQL limits a channel name to 63 bytes.
 */
const WAKE_PREFIX = 'sagamart_bus.';
const BROADCAST_PREFIX = 'sagamart_broadcast.';
const MAX_CHANNEL_BYTES = 63;

function notifyChannel(prefix: string, name: string): string {
  const channel = prefix + name;
  if (Buffer.byteLength(channel) > MAX_CHANNEL_BYTES)
    throw new Error(`${name} is too long for a PostgreSQL notification channel (${channel})`);
  return channel;
}

/** The queue's database unless a service's config names another (`bus.database`). */
export const DEFAULT_BUS_DATABASE = 'sagamart_bus';

/** The LISTEN connection's application_name, so that it can be told apart in pg_stat_activity. */
export const LISTENER_NAME = 'sagamart-bus-listener';

const SCHEMA = `
create table if not exists bus_bindings (
  queue text not null,
  topic text not null,
  primary key (topic, queue)
);
create table if not exists bus_messages (
  id bigserial primary key,
  queue text not null,
  message_id text not null,
  topic text not null,
  headers jsonb not null,
  payload jsonb not null,
  attempts int not null default 0,
  visible_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
create index if not exists bus_messages_ready on bus_messages (queue, visible_at, id);
`;

export interface PostgresTransportOptions {
  /** URL of the bus database (its own database on the shared server). */
  url: string;
  /** How long a claimed message stays invisible before another consumer may take it (crash recovery). */
  leaseMs?: number;
  /** Fallback poll while the LISTEN connection is down (1 s): notifications may be lost meanwhile. */
  pollMs?: number;
  /**
   * Safety-net poll while the LISTEN connection is up (30 s). Every publish notifies at commit, and an
   * empty claim says when the next delayed message or expired lease comes due, so this poll only
   * bounds how long a consumer waits for a notification lost with a healthy connection.
   */
  listenedPollMs?: number;
  /**
   * How long the LISTEN connection may go without a word (an answer, a notification) before a
   * `select 1` checks it (half of listenedPollMs, 15 s): a network that drops packets closes
   * nothing, so without this a dead connection would pass for a listening one until the kernel gave
   * up on it, a quarter of an hour later. An idle consumer's look on it counts as a word.
   */
  listenerCheckMs?: number;
  /**
   * How long a statement on the LISTEN connection may go unanswered before it is replaced (5 s);
   * its checks (the `select 1`, an idle consumer's look) get three times as long.
   */
  listenerTimeoutMs?: number;
  /** How long the pool keeps a connection nobody uses (10 s). */
  idleConnectionMs?: number;
  /** Connections for claims, acks, publishes and broadcasts (4); more when several services share it. */
  poolSize?: number;
  /**
   * How long a statement of the pool (a claim, a publish) may go unanswered before it fails and its
   * connection is closed (30 s): on a connection whose network went silent a claim would otherwise
   * wait for ever, and the queue would no longer drain. The caller tries again on a new connection.
   */
  queryTimeoutMs?: number;
  /** Statements prepared once per connection, BEGIN sent with the first (true; prepared-statements.ts). */
  preparedStatements?: boolean;
  onError?: (error: unknown) => void;
}

/**
 * A durable queue on PostgreSQL: one row per (message, bound queue), claimed with
 * FOR UPDATE SKIP LOCKED under a visibility lease, and woken by LISTEN/NOTIFY so a hop
 * takes milliseconds rather than a polling interval.
 */
export class PostgresTransport implements Transport {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly listenedPollMs: number;
  private readonly listenerCheckMs: number;
  private readonly listenerTimeoutMs: number;
  /**
   * How long a check of the LISTEN connection (the `select 1`, an idle consumer's look) may go
   * unanswered: 3 × listenerTimeoutMs, 15 s. Replacing a live connection costs every subscriber a
   * `missed`, so a server or machine too loaded to answer in 5 s must not pass for a dead network;
   * a dead one is still found within 30 s (listenerCheckMs of silence, then this), the safety poll.
   */
  private readonly listenerCheckTimeoutMs: number;
  /** When the LISTEN connection last answered or notified: the check is due listenerCheckMs later. */
  private heardAt = 0;
  private checkTimer: NodeJS.Timeout | undefined;
  /** True while the LISTEN connection is up and listening: consumers may then poll slowly. */
  private listenerUp = false;
  private readonly onError: (error: unknown) => void;
  private listener: pg.Client | undefined;
  private listenerReady: Promise<void> | undefined;
  /** True while a lost LISTEN connection is being opened again (one retry loop at a time). */
  private reconnecting = false;
  /** True from the loss of the LISTEN connection until its successor listens: broadcasts were missed. */
  private missedBroadcasts = false;
  private readonly wakeups = new Map<string, Set<() => void>>();
  private readonly broadcastListeners = new Map<string, Set<BroadcastListener>>();
  private closed = false;
  private schemaReady: Promise<void> | undefined;
  /** The last query on the LISTEN connection: the next waits for it (pg runs one query per client). */
  private listenerQueries: Promise<unknown> = Promise.resolve();
  /** The NOTIFY channels to listen to (again after a reconnect), each with its first LISTEN. */
  private readonly listened = new Map<string, Promise<void>>();
  /** One NOTIFY each, several per round trip. */
  private readonly broadcasts = new Batcher<{ channel: string; payload: string }>(async (notes) => {
    await this.pool.query('select pg_notify(c, p) from unnest($1::text[], $2::text[]) as n(c, p)', [
      notes.map((n) => n.channel),
      notes.map((n) => n.payload),
    ]);
  });

  constructor(private readonly options: PostgresTransportOptions) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.listenedPollMs = Math.max(this.pollMs, options.listenedPollMs ?? 30_000);
    this.listenerCheckMs = options.listenerCheckMs ?? this.listenedPollMs / 2;
    this.listenerTimeoutMs = options.listenerTimeoutMs ?? 5_000;
    this.listenerCheckTimeoutMs = 3 * this.listenerTimeoutMs;
    // An idle consumer's poll looks on the LISTEN connection first (visibleIn), so the pool is left
    // alone at idle and closes its connections after pg's 10 s: one PostgreSQL backend less per
    // process, without starting one at every poll (docs/performance.md, changes 19 and 23).
    this.pool = preparingPool(
      {
        connectionString: options.url,
        max: options.poolSize ?? 4,
        idleTimeoutMillis: options.idleConnectionMs ?? 10_000,
        query_timeout: options.queryTimeoutMs ?? 30_000,
      },
      options.preparedStatements !== false,
    );
    this.pool.on('error', (error) => this.onError(error));
    this.onError = options.onError ?? (() => {});
  }

  private ensureSchema(): Promise<void> {
    this.schemaReady ??= (async () => {
      const client = await this.pool.connect();
      try {
        await client.query('begin');
        // Serialise DDL across services starting together.
        await client.query("select pg_advisory_xact_lock(hashtext('sagamart_bus_schema'))");
        await client.query(SCHEMA);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      // Tried again at the next use (also when no connection could be had).
      this.schemaReady = undefined;
      throw error;
    });
    return this.schemaReady;
  }

  async declare(topology: Topology, owner?: string): Promise<void> {
    await this.ensureSchema();
    const queues: string[] = [];
    const topics: string[] = [];
    for (const [queue, events] of Object.entries(topology)) {
      for (const topic of events) {
        queues.push(queue);
        topics.push(topic);
      }
    }
    if (queues.length > 0) {
      await this.pool.query(
        'insert into bus_bindings (queue, topic) select * from unnest($1::text[], $2::text[]) on conflict do nothing',
        [queues, topics],
      );
    }
    // The owner's queue stops receiving what it no longer consumes (see Transport.declare).
    const owned = owner === undefined ? undefined : topology[owner];
    if (owned) {
      await this.pool.query('delete from bus_bindings where queue = $1 and topic <> all($2::text[])', [
        owner,
        [...owned],
      ]);
    }
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.ensureSchema();
    // Fan out to every bound queue and wake their consumers; NOTIFY is delivered at commit.
    await this.pool.query(
      `with incoming as (
         select * from unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[]) as m(message_id, topic, headers, payload)
       ), inserted as (
         insert into bus_messages (queue, message_id, topic, headers, payload)
         select b.queue, m.message_id, m.topic, m.headers, m.payload
         from incoming m join bus_bindings b on b.topic = m.topic
         returning queue
       )
       select pg_notify('${WAKE_PREFIX}' || queue, '') from (select distinct queue from inserted) q`,
      [
        messages.map((m) => m.id),
        messages.map((m) => m.topic),
        messages.map((m) => JSON.stringify(m.headers)),
        messages.map((m) => JSON.stringify(m.payload ?? null)),
      ],
    );
  }

  async send(queue: string, message: OutgoingMessage): Promise<void> {
    await this.ensureSchema();
    await this.pool.query(
      `with inserted as (
         insert into bus_messages (queue, message_id, topic, headers, payload) values ($1, $2, $3, $4, $5) returning queue
       ) select pg_notify('${WAKE_PREFIX}' || queue, '') from inserted`,
      [
        queue,
        message.id,
        message.topic,
        JSON.stringify(message.headers),
        JSON.stringify(message.payload ?? null),
      ],
    );
  }

  async consume(queue: string, handler: MessageHandler, options: ConsumeOptions): Promise<Subscription> {
    const channel = notifyChannel(WAKE_PREFIX, queue);
    await this.ensureSchema();
    await this.listen(channel);
    const inFlight = new Set<Promise<void>>();
    let stopped = false;
    let pendingWake = false;
    let wake: (() => void) | undefined;
    const onNotify = () => {
      pendingWake = true;
      wake?.();
    };
    this.addWakeup(queue, onNotify);
    const acks = new Batcher<string>(async (ids) => {
      await this.pool.query('delete from bus_messages where id = any($1::bigint[])', [ids]);
    });
    /** Until then, retries this consumer scheduled may become visible before the next poll. */
    let retriesDueBy = 0;

    /** Resolves true when the time ran out, false when something woke the consumer first. */
    const sleep = (ms: number) =>
      new Promise<boolean>((resolve) => {
        if (pendingWake || stopped) return resolve(false);
        const timer = setTimeout(() => done(true), ms);
        function done(timedOut = false) {
          clearTimeout(timer);
          wake = undefined;
          resolve(timedOut);
        }
        wake = done;
      });

    const handleRow = async (row: ClaimedRow) => {
      const message: DeliveredMessage = {
        id: row.message_id,
        topic: row.topic,
        headers: row.headers,
        payload: row.payload,
        attempt: row.attempts,
      };
      try {
        const disposition = await handler(message);
        if (disposition.type === 'ack') {
          // Off the handler's slot and batched: a lost ack only redelivers (the lease), which the inbox dedupes.
          acks.add(row.id).catch(this.onError);
        } else {
          const delayMs = Math.max(0, Math.round(disposition.delayMs));
          await this.pool.query(
            "update bus_messages set visible_at = now() + ($2 || ' milliseconds')::interval where id = $1",
            [row.id, String(delayMs)],
          );
          retriesDueBy = Math.max(retriesDueBy, Date.now() + delayMs);
          wake?.();
        }
      } catch (error) {
        // The lease expires and the message comes back; nothing is lost.
        this.onError(error);
      }
    };

    // True after a safety poll's wait ran its full time: the consumer looks before it claims.
    let polled = false;
    const loop = async () => {
      while (!stopped) {
        const free = options.concurrency - inFlight.size;
        if (free <= 0) {
          await Promise.race(inFlight);
          continue;
        }
        pendingWake = false;
        let rows: ClaimedRow[] = [];
        let idleMs = this.currentPollMs();
        try {
          const ahead = polled ? await this.visibleIn(queue, idleMs) : 0;
          if (ahead > 0) idleMs = ahead;
          else ({ rows, idleMs } = await this.claim(queue, free, idleMs));
        } catch (error) {
          if (!stopped) this.onError(error);
          await sleep(this.pollMs);
          continue;
        }
        for (const row of rows) {
          const task = handleRow(row).finally(() => inFlight.delete(task));
          inFlight.add(task);
        }
        // A short claim took everything ready: wait for a notification, the next delayed message
        // (an empty claim says when), a retry of ours, or the poll. A full one loops at once, or
        // waits above for a free slot.
        polled = false;
        if (rows.length < free) {
          // Only a wait of the whole poll interval ends in a look: one for a message known to come
          // due (a retry, a delayed message) claims at once, as a notification does.
          const safetyPoll = rows.length === 0 && idleMs >= this.listenedPollMs;
          const timedOut = await sleep(
            rows.length === 0 ? idleMs : Date.now() <= retriesDueBy ? 5 : this.currentPollMs(),
          );
          polled = timedOut && safetyPoll && this.listenerUp;
        }
      }
    };
    const running = loop();

    return {
      close: async () => {
        stopped = true;
        wake?.();
        this.removeWakeup(queue, onNotify);
        await running;
        await Promise.allSettled(inFlight);
        await acks.flushed();
      },
    };
  }

  /**
   * Claims up to `limit` visible messages under a lease. When there are none, the same statement
   * says how long until the next delayed message (or expired lease) becomes visible, bounded by
   * `pollMs`, so an empty poll is one round trip, not two.
   */
  private async claim(
    queue: string,
    limit: number,
    pollMs: number,
  ): Promise<{ rows: ClaimedRow[]; idleMs: number }> {
    const { rows } = await this.pool.query<ClaimedRow & { next_visible_ms: number | null }>(
      `with next as (
         select id from bus_messages
         where queue = $1 and visible_at <= now()
         order by id
         limit $2
         for update skip locked
       ), claimed as (
         update bus_messages m
         set attempts = m.attempts + 1, visible_at = now() + ($3 || ' milliseconds')::interval
         from next where m.id = next.id
         returning m.id, m.message_id, m.topic, m.headers, m.payload, m.attempts
       )
       select c.*, null::float8 as next_visible_ms from claimed c
       union all
       select null, null, null, null, null, null,
              extract(epoch from (min(visible_at) - now())) * 1000
       from bus_messages
       where queue = $1 and not exists (select 1 from claimed)`,
      [queue, limit, String(this.leaseMs)],
    );
    const claimed = rows.filter((r) => r.id !== null);
    if (claimed.length > 0) return { rows: claimed.sort((a, b) => Number(a.id) - Number(b.id)), idleMs: 0 };
    const ms = rows[0]?.next_visible_ms;
    return { rows: [], idleMs: ms == null ? pollMs : Math.min(pollMs, Math.max(5, Math.ceil(ms))) };
  }

  /**
   * At an idle consumer's safety poll: how long until the queue's next message is visible (0: now,
   * or unknown), asked on the LISTEN connection, so that the poll needs no pool connection. A claim
   * follows only when something is there; a failed look claims as before.
   */
  private async visibleIn(queue: string, pollMs: number): Promise<number> {
    const listener = this.listener;
    if (!listener || !this.listenerUp) return 0;
    try {
      // A check of the connection too: unanswered in listenerCheckTimeoutMs, the look gives up (and
      // the connection is replaced): claim.
      const { rows } = await this.onListener(
        listener,
        () =>
          listener.query<{ ms: number | null }>(
            'select (extract(epoch from (min(visible_at) - now())) * 1000)::float8 as ms from bus_messages where queue = $1',
            [queue],
          ),
        this.listenerCheckTimeoutMs,
      );
      const ms = rows[0]?.ms;
      if (ms == null) return pollMs;
      return ms <= 0 ? 0 : Math.min(pollMs, Math.max(5, Math.ceil(ms)));
    } catch {
      return 0;
    }
  }

  /** How long an idle consumer waits without a notification: long while notifications arrive. */
  private currentPollMs(): number {
    return this.listenerUp ? this.listenedPollMs : this.pollMs;
  }

  private wakeEveryone(): void {
    for (const set of this.wakeups.values()) for (const wake of set) wake();
  }

  async broadcast(channel: string, payload: unknown): Promise<void> {
    await this.broadcasts.add({
      channel: notifyChannel(BROADCAST_PREFIX, channel),
      payload: JSON.stringify(payload ?? null),
    });
  }

  async onBroadcast(
    channel: string,
    listener: (payload: unknown) => void,
    options: BroadcastOptions = {},
  ): Promise<Subscription> {
    await this.listen(notifyChannel(BROADCAST_PREFIX, channel));
    const set = this.broadcastListeners.get(channel) ?? new Set();
    this.broadcastListeners.set(channel, set);
    const entry: BroadcastListener = { listener, missed: options.missed };
    set.add(entry);
    return { close: async () => void set.delete(entry) };
  }

  /** NOTIFY keeps nothing for a session that is gone: each subscriber catches up by itself. */
  private announceMissedBroadcasts(): void {
    for (const set of this.broadcastListeners.values()) {
      for (const { missed } of set) {
        try {
          missed?.();
        } catch (error) {
          this.onError(error);
        }
      }
    }
  }

  async healthy(): Promise<boolean> {
    try {
      await this.pool.query('select 1');
      return true;
    } catch {
      return false;
    }
  }

  listening(): boolean {
    return this.listenerUp;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listenerUp = false;
    clearTimeout(this.checkTimer);
    this.wakeEveryone();
    await this.broadcasts.flushed();
    if (this.listener) await endWithin(this.listener, this.listenerTimeoutMs);
    await this.pool.end().catch(() => {});
  }

  private addWakeup(queue: string, fn: () => void) {
    const set = this.wakeups.get(queue) ?? new Set();
    this.wakeups.set(queue, set);
    set.add(fn);
  }

  private removeWakeup(queue: string, fn: () => void) {
    this.wakeups.get(queue)?.delete(fn);
  }

  /**
   * Listens to `channel` from now on, on this connection and on every one after it; resolves once it
   * does (a second caller for the channel waits for the same LISTEN).
   */
  private async listen(channel: string): Promise<void> {
    await this.ensureListener();
    let listening = this.listened.get(channel);
    if (!listening) {
      listening = (async () => {
        try {
          const listener = this.listener;
          if (listener)
            await this.onListener(listener, () => listener.query(`listen ${pg.escapeIdentifier(channel)}`));
        } catch (error) {
          // The connection was lost: its successor listens to every channel in `listened`.
          this.onError(error);
        }
      })();
      this.listened.set(channel, listening);
    }
    await listening;
  }

  /**
   * Runs `query` on the LISTEN connection after the queries before it (consumers' looks, LISTENs,
   * checks); one left unanswered for `timeoutMs` fails and has the connection replaced.
   */
  private onListener<T>(
    listener: pg.Client,
    query: () => Promise<T>,
    timeoutMs = this.listenerTimeoutMs,
  ): Promise<T> {
    const result = this.listenerQueries.then(async () => {
      const answer = await answeredWithin(listener, query(), timeoutMs);
      if (this.listener === listener) this.heardAt = Date.now();
      return answer;
    });
    this.listenerQueries = result.catch(() => undefined);
    return result;
  }

  /**
   * Checks the LISTEN connection once it has said nothing for listenerCheckMs: the check's timeout
   * replaces a connection that a silent network took away. A consumer's look or a notification
   * in between counts, so a process with idle consumers seldom sends a check of its own.
   */
  private watchListener(listener: pg.Client): void {
    clearTimeout(this.checkTimer);
    if (this.closed || this.listener !== listener) return;
    this.checkTimer = setTimeout(
      () => {
        if (this.closed || this.listener !== listener || !this.listenerUp) return;
        // Timers may fire a millisecond early: that is not a word heard since.
        if (Date.now() - this.heardAt < this.listenerCheckMs - 10) return this.watchListener(listener);
        this.onListener(listener, () => listener.query('select 1'), this.listenerCheckTimeoutMs).then(
          () => this.watchListener(listener),
          // Unanswered: the connection is being replaced, and its successor is watched.
          (error: unknown) => {
            if (this.listener === listener) this.onError(error);
          },
        );
      },
      Math.max(0, this.heardAt + this.listenerCheckMs - Date.now()),
    );
    this.checkTimer.unref();
  }

  /** One LISTEN connection per transport; it reconnects on loss (consumers poll meanwhile). */
  private ensureListener(): Promise<void> {
    this.listenerReady ??= this.connectListener();
    return this.listenerReady;
  }

  /** Opens the LISTEN connection again, backing off, until it is back or the transport is closed. */
  private reconnectListener(): void {
    if (this.reconnecting) return;
    this.reconnecting = true;
    void retryUntilConnected(() => this.ensureListener(), {
      stopped: () => this.closed,
      onFailure: (error) => {
        if (!this.closed) this.onError(error);
      },
    }).finally(() => {
      this.reconnecting = false;
    });
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: LISTENER_NAME,
      // The kernel's probes keep a NAT's or firewall's entry alive; the check above finds a dead one.
      keepAlive: true,
      connectionTimeoutMillis: this.listenerTimeoutMs,
    });
    const reconnect = () => {
      if (this.closed || this.listener !== client) return;
      clearTimeout(this.checkTimer);
      this.listener = undefined;
      this.listenerReady = undefined;
      this.listenerUp = false;
      this.missedBroadcasts = true;
      this.reconnectListener();
      // Wake everyone so nothing waits a long poll for a notification that was lost; until the
      // connection is back, consumers poll every pollMs.
      this.wakeEveryone();
    };
    client.on('error', (error) => {
      this.onError(error);
      reconnect();
    });
    client.on('end', reconnect);
    client.on('notification', (note) => {
      this.heardAt = Date.now();
      if (note.channel.startsWith(WAKE_PREFIX)) {
        for (const wake of this.wakeups.get(note.channel.slice(WAKE_PREFIX.length)) ?? []) wake();
      } else if (note.channel.startsWith(BROADCAST_PREFIX) && note.payload !== undefined) {
        try {
          const payload: unknown = JSON.parse(note.payload);
          const channel = note.channel.slice(BROADCAST_PREFIX.length);
          for (const { listener } of this.broadcastListeners.get(channel) ?? []) listener(payload);
        } catch (error) {
          this.onError(error);
        }
      }
    });
    this.listener = client;
    try {
      await client.connect();
      for (const channel of this.listened.keys())
        await answeredWithin(
          client,
          client.query(`listen ${pg.escapeIdentifier(channel)}`),
          this.listenerTimeoutMs,
        );
      // Closed while a reconnect was under way: nobody else would end this connection.
      if (this.closed) throw new Error('transport closed');
      if (this.listener === client) {
        this.listenerUp = true;
        this.heardAt = Date.now();
        this.watchListener(client);
        // Messages published while no one listened were not announced: look now.
        this.wakeEveryone();
        // Broadcasts sent meanwhile are gone; listening again first, so none falls between.
        if (this.missedBroadcasts) {
          this.missedBroadcasts = false;
          this.announceMissedBroadcasts();
        }
      }
    } catch (error) {
      this.listener = undefined;
      this.listenerReady = undefined;
      await endWithin(client, this.listenerTimeoutMs);
      throw error;
    }
  }
}

interface BroadcastListener {
  listener: (payload: unknown) => void;
  missed: (() => void) | undefined;
}

interface ClaimedRow {
  id: string;
  message_id: string;
  topic: string;
  headers: Record<string, string>;
  payload: unknown;
  attempts: number;
}

/**
 * Gathers items while one batch query runs and sends them together in the next: a busy process pays
 * one round trip per batch rather than one per item (acks, fan-out notifications).
 */
class Batcher<T> {
  private pending: Array<{ item: T; settle: (error?: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly send: (items: T[]) => Promise<void>) {}

  /** Resolves once the item's batch was sent; rejects with the batch's error. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      this.flushing ??= this.flush();
    });
  }

  /** Resolves once every item added so far has been sent (or has failed). */
  async flushed(): Promise<void> {
    await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        const error = await this.send(batch.map((p) => p.item)).then(
          () => undefined,
          (e: unknown) => e ?? new Error('batch failed'),
        );
        for (const p of batch) p.settle(error);
      }
    } finally {
      this.flushing = undefined;
    }
  }
}

/** One queue transport for the services of one process; see sharedPostgresTransport. */
export interface SharedPostgresTransport {
  /** The transport for a service with this environment, opened at the first; undefined: its own. */
  for(env: Record<string, string | undefined>): Promise<Transport | undefined>;
  /** Closes it, once every service that used it has stopped. */
  close(): Promise<void>;
}

/**
 * One queue transport for several services in one process (`--in-process`, the launcher's shared
 * host): one LISTEN connection and one pool on the default queue database instead of one of each
 * per service. A service with a broker (AMQP_URL), a queue database of its own (BUS_DATABASE) or
 * no database gets none, and opens its own as it would alone.
 */
export function sharedPostgresTransport(
  options: Pick<PostgresTransportOptions, 'poolSize' | 'onError'>,
): SharedPostgresTransport {
  let opened: Promise<PostgresTransport> | undefined;
  return {
    for(env) {
      const server = env.DATABASE_URL;
      if (!server || env.AMQP_URL || env.BUS_DATABASE) return Promise.resolve(undefined);
      opened ??= ensureDatabase(server, DEFAULT_BUS_DATABASE).then(
        () =>
          new PostgresTransport({
            url: databaseUrl(server, DEFAULT_BUS_DATABASE),
            preparedStatements: env.DATABASE_PREPAREDSTATEMENTS !== 'false',
            ...options,
          }),
      );
      return opened;
    },
    async close() {
      await (await opened?.catch(() => undefined))?.close();
    },
  };
}
