import type { EventEmitter } from 'node:events';
import pg from 'pg';
import pgUtils from 'pg/lib/utils.js';

/**
 * Statements with parameters are sent as named prepared statements, so PostgreSQL parses, analyses
 * and plans each text once per connection instead of at every execution (docs/performance.md,
 * change 26). The answer is the same: the text, the parameters and the protocol (extended, as for any
 * statement with parameters) are unchanged; only the Parse is skipped after the first time.
 *
 * A text gets a name the first time a pool sees it, up to `MAX_NAMED_TEXTS` texts per pool (one per
 * service, also when several share a process); texts past that (such as `in (…)` lists of many
 * lengths) run unnamed, as before, so neither the pool nor a PostgreSQL backend holds an unbounded
 * set of statements.
 */
export const MAX_NAMED_TEXTS = 400;

/**
 * `on conflict (…) where <predicate>` names a partial unique index by its predicate. PostgreSQL
 * matches it at planning: with a parameter in the predicate, a generic plan (which a prepared
 * statement switches to after five executions) cannot prove the match and the insert fails (42P10).
 * Such texts run unnamed (a literal predicate, as the services write it, is prepared).
 */
const PARAMETER_IN_ARBITER = /\bon conflict\s*\([^)]*\)\s*where\b(?:(?!\bdo\b)[\s\S])*\$\d/i;

/** Texts registered with `sentWithNextStatement`. */
const answersNotRead = new Set<string>();

/**
 * Registers a statement whose answer no caller reads (an outbox row, a transaction's advisory lock):
 * inside a transaction it waits on the connection and goes to PostgreSQL in one write with the
 * transaction's next statement or its COMMIT, one round trip fewer (docs/performance.md, change 34).
 * PostgreSQL runs them in order, so the next statement runs after it exactly as if it had been
 * awaited (holding the lock, seeing the row); if it fails, the next statement is skipped and fails
 * with its error, and the transaction rolls back. Its caller is answered at once with no rows. Outside a
 * transaction, and the first time a connection runs it (it is prepared then), it goes alone.
 * Returns the text, to run as written (`CompiledQuery.raw`).
 */
export function sentWithNextStatement(text: string): string {
  answersNotRead.add(text);
  return text;
}

/** The statement names of one pool's connections. */
class StatementNames {
  private readonly names = new Map<string, string>();

  /** The name for a text, or undefined when it runs unnamed. */
  nameFor(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= MAX_NAMED_TEXTS || PARAMETER_IN_ARBITER.test(text)) {
      return known;
    }
    const name = `sagamart_${this.names.size + 1}`;
    this.names.set(text, name);
    return name;
  }
}

/**
 * How long a pool's statement may run (ADR 0021); 0: for ever. PostgreSQL itself stops a statement
 * past it (`statement_timeout`) and ends a session that sits in a transaction for as long
 * (`idle_in_transaction_session_timeout`), both sent in each connection's startup message (no round
 * trip of their own): work the caller gave up on does not go on holding locks and a backend. The
 * client gives up on a statement that stays unanswered a little longer (`unansweredAfter`), which
 * only a network gone silent does: a NAT or firewall that forgot the connection, a partition, where
 * a claim or a publish would otherwise wait for ever. Migrations and work that is long on purpose run
 * on a connection lent with a bound of their own (`withStatementBound`).
 */
interface QueryBound {
  ms: number;
}

/**
 * How long the client waits for the answer to a statement bounded by `ms` before it gives up on the
 * connection: PostgreSQL's own cancel (57014) is answered first on a network that works, and the
 * connection stays in use.
 */
function unansweredAfter(ms: number): number {
  return ms > 0 ? ms + Math.min(ms, 5_000) : 0;
}

/**
 * A pool whose connections are PreparingClients (below); `preparedStatements: false` gives pg's own
 * client, for a pooler that cannot keep prepared statements. Either way a connection PostgreSQL ends
 * while it is checked out fails its user's statements, not the process (`catchLostConnections`), a
 * statement past `config.query_timeout` is stopped by PostgreSQL, and one unanswered for longer fails
 * and closes its connection (`BoundedClient`).
 */
export function preparingPool(
  config: pg.PoolConfig,
  preparedStatements = true,
  onConnectionLost?: (error: Error) => void,
): pg.Pool {
  const bound: QueryBound = { ms: config.query_timeout ?? 0 };
  const pool = new pg.Pool({
    // The kernel probes a connection idle for 30 s: a NAT or firewall keeps its entry, and a peer
    // that is gone is noticed by the kernel too, not only by a statement that times out.
    keepAlive: true,
    keepAliveInitialDelayMillis: 30_000,
    ...(bound.ms > 0 ? { statement_timeout: bound.ms, idle_in_transaction_session_timeout: bound.ms } : {}),
    ...config,
    Client: preparedStatements ? preparingClient(bound) : boundedClient(bound),
  });
  // A transaction released without a statement (so without COMMIT or ROLLBACK) left only a BEGIN
  // that was never sent: the next user of the connection must not inherit it, nor a held statement.
  if (preparedStatements) {
    pool.on('release', (_error, client) => (client as unknown as PreparingClient).forgetUnsent());
  }
  catchLostConnections(pool, onConnectionLost);
  return pool;
}

/**
 * Lends `work` one connection of the pool whose statements are bounded by `ms` instead of the pool's
 * bound (0: unbounded), in PostgreSQL and in the client alike: migrations (an index build, a wait for
 * another instance's migration lock) and work that is long on purpose. Costs a round trip to set the
 * bound and one to take it back (RESET ALL: the connection returns to the pool as it was; one whose
 * reset fails is closed instead). Other users of the pool keep the pool's bound meanwhile.
 */
export async function withStatementBound<T>(
  pool: pg.Pool,
  ms: number,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`Not a statement bound in ms: ${ms}`);
  const client = await pool.connect();
  const own = client instanceof BoundedClient ? client : undefined;
  let broken: Error | undefined;
  try {
    own?.bindTo(ms);
    await client.query(`set statement_timeout = ${ms}; set idle_in_transaction_session_timeout = ${ms}`);
    return await work(client);
  } finally {
    own?.bindTo(undefined);
    await client.query('reset all').catch((error: Error) => {
      broken = error;
    });
    client.release(broken);
  }
}

/**
 * pg-pool listens for a client's 'error' only while the client is idle in the pool (or runs a
 * `pool.query`): a connection that PostgreSQL ends (a restart, a failover, pg_terminate_backend)
 * while it is checked out, such as between a transaction's statements, emits 'error' with no
 * listener, which Node throws and the service exits. Every client gets a listener of its own. pg has
 * already failed its statements and fails the next ones (the transaction rejects), and pg-pool
 * discards the client when it is released (it is no longer queryable). `onLost` hears each such
 * client once; an idle one's loss is the pool's 'error' event, as before.
 */
function catchLostConnections(pool: pg.Pool, onLost: (error: Error) => void = () => {}): void {
  const checkedOut = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_error, client) => checkedOut.delete(client));
  pool.on('connect', (client) => {
    let reported = false;
    // pg reports one loss twice (the server's FATAL message, then the closed socket).
    client.on('error', (error) => {
      if (reported || !checkedOut.has(client)) return;
      reported = true;
      onLost(error);
    });
  });
}

/** The client class for one pool (pg's `Client` option): its connections share the pool's names. */
function preparingClient(bound: QueryBound): typeof pg.Client {
  const names = new StatementNames();
  return class extends PreparingClient {
    protected override readonly names = names;
    constructor(config?: pg.ClientConfig) {
      super(config, bound);
    }
  };
}

/** pg's own client with the pool's query timeout (BoundedClient). */
function boundedClient(bound: QueryBound): typeof pg.Client {
  return class extends BoundedClient {
    constructor(config?: pg.ClientConfig) {
      super(config, bound);
    }
  };
}

/** pg's error for a statement unanswered within `query_timeout`. */
const isQueryTimeout = (error: unknown) => error instanceof Error && error.message === 'Query read timeout';

/**
 * A pg client that gives up on a statement unanswered for longer than the pool's bound lets
 * PostgreSQL take (`unansweredAfter`; read at each statement, so a connection lent with a bound of
 * its own uses that one), and whose connecting gives up after the bound (a connection opened as the
 * network went silent would never finish its handshake). pg fails a statement that timed out but
 * keeps waiting for its answer: the connection stays busy, and pg-pool, which discards a client only
 * when it is released with an error (pool.query does, kysely does not) or not queryable, would hand
 * it to the next user, whose statements would queue behind the lost one and time out in turn. The
 * connection is ended instead (its socket destroyed, as the answer may never come): statements
 * queued on it fail at once, and the pool replaces it.
 */
class BoundedClient extends pg.Client {
  private readonly bound: QueryBound;
  /** This connection's own bound while it is lent with one (`withStatementBound`). */
  private ownMs: number | undefined;

  constructor(config: pg.ClientConfig | undefined, bound: QueryBound) {
    // pg-pool gives each client the pool's options: a pool's own connectionTimeoutMillis (which
    // also bounds a wait for a free connection) stays as it is.
    super({ connectionTimeoutMillis: bound.ms, ...config });
    this.bound = bound;
    const parameters = (this as unknown as { connectionParameters: { query_timeout?: number } })
      .connectionParameters;
    // pg reads it at each statement; 0 sets no timer.
    Object.defineProperty(parameters, 'query_timeout', {
      get: () => unansweredAfter(this.ownMs ?? this.bound.ms),
    });
  }

  /** Bounds this connection's statements by `ms` (undefined: the pool's bound again). */
  bindTo(ms: number | undefined): void {
    this.ownMs = ms;
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; this forwards them.
  override query(...args: any[]): any {
    // A connection that is gone took its transaction with it (PostgreSQL rolls back): the ROLLBACK
    // that follows a failed statement is answered here, so that the transaction fails with why
    // (a timeout, the lost connection), not with "not queryable".
    const state = this as unknown as { _ending: boolean; _queryable: boolean };
    const promised = !args.some((arg) => typeof arg === 'function');
    if (args[0] === 'rollback' && promised && (state._ending || !state._queryable)) {
      return Promise.resolve(answered('ROLLBACK'));
    }
    const ended = (error: unknown) => {
      // pg's end() destroys the socket of a connection with a statement under way.
      if (isQueryTimeout(error)) this.end().catch(() => {});
    };
    const endingOnTimeout =
      (callback: Callback): Callback =>
      (error, result) => {
        ended(error);
        callback(error, result);
      };
    // The callback, wherever pg takes it from: (text, values, cb), (text, cb), or a config's.
    const [config, values, callback] = args as [unknown, unknown, unknown];
    if (typeof callback === 'function') args[2] = endingOnTimeout(callback as Callback);
    else if (typeof values === 'function') args[1] = endingOnTimeout(values as Callback);
    else if (typeof config === 'object' && config !== null && 'callback' in config) {
      const query = config as { callback: unknown; submit?: unknown };
      if (typeof query.callback === 'function') {
        const wrapped = endingOnTimeout(query.callback as Callback);
        // A query object (pg's Query, an Exchange) is run itself; a plain config is copied.
        if (typeof query.submit === 'function') query.callback = wrapped;
        else args[0] = { ...query, callback: wrapped };
      }
    }
    const result: unknown = super.query(...(args as Parameters<pg.Client['query']>));
    // Without a callback: a promise, whose rejection reaches this before the caller.
    if (result instanceof Promise) result.catch(ended);
    return result;
  }
}

/** What the opening exchange uses of pg's connection (the messages pg-cursor also sends). */
interface ProtocolConnection {
  parse(message: { text: string }): void;
  bind(message: object): void;
  describe(message: object): void;
  execute(message: object): void;
  /** Names of the statements this connection has prepared (pg's own record). */
  parsedStatements: Record<string, string | undefined>;
}
type QueryConfig = {
  name?: string;
  text: string;
  values: unknown[];
  callback: Callback;
  queryMode?: 'extended';
};
const PgQuery = pg.Query as unknown as new (
  config: QueryConfig,
) => { prepare(connection: ProtocolConnection): void };

/** A statement sent ahead of another in the same exchange: BEGIN, or one held back (above). */
interface Leading {
  /** Unnamed: BEGIN, parsed in the exchange. Named: prepared on the connection already. */
  name?: string;
  text: string;
  values: unknown[];
}

const BEGIN: Leading = { text: 'begin', values: [] };

/**
 * Statements that go ahead of the caller's in one write under one Sync: a transaction's BEGIN
 * (docs/performance.md, change 30) and a held-back statement (change 34). PostgreSQL runs them in
 * order and answers all of them in one flush; after an error it skips everything up to the Sync, so
 * the caller's statement runs only if those ahead of it did, and fails with their error otherwise.
 * The caller gets its own statement's result, as if the others had been awaited on their own.
 */
class Exchange extends PgQuery {
  constructor(
    config: QueryConfig,
    private readonly leading: Leading[],
  ) {
    super(config);
  }

  override prepare(connection: ProtocolConnection): void {
    for (const statement of this.leading) {
      if (statement.name === undefined) connection.parse({ text: statement.text });
      connection.bind({
        statement: statement.name,
        values: statement.values,
        valueMapper: pgUtils.prepareValue,
      });
      // Its rows (if any) need their description to be read, and are then dropped.
      if (statement.name !== undefined) connection.describe({ type: 'P', name: '' });
      connection.execute({});
    }
    super.prepare(connection);
  }
}

/** What BEGIN, COMMIT or ROLLBACK answers when the kit answers it without a round trip. */
const answered = (command: string) =>
  ({ command, rowCount: null, oid: 0, fields: [], rows: [] }) as unknown as pg.QueryResult;

/** kysely's BEGIN: `query('begin', [])`. Another form (a callback, a config) is sent as it comes. */
const isBegin = (text: unknown, values: unknown, callback: unknown) =>
  text === 'begin' && Array.isArray(values) && values.length === 0 && callback === undefined;

/**
 * A table whose columns changed (a migration of a newer version, during a rolling deploy) makes a
 * prepared `select *` or `returning *` fail with this error on every later execution.
 */
function isStalePlan(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}

type Callback = (error: Error | null, result?: pg.QueryResult) => void;
type AnyQuery = (...args: unknown[]) => unknown;

/**
 * A pg client that prepares each parameterised statement once per connection, sends a transaction's
 * BEGIN with its first statement, and holds a statement whose answer no one reads for the next (all
 * above).
 */
abstract class PreparingClient extends BoundedClient {
  protected abstract readonly names: StatementNames;
  /** The server's transaction status at the last ReadyForQuery: I idle, T in a transaction, E failed. */
  private transactionStatus = 'I';
  /** Statements this connection prepared again under a new name after their plan went stale. */
  private readonly renamed = new Map<string, string>();
  /** A BEGIN answered but not sent yet: it goes with the next statement. */
  private unsentBegin = false;
  /** A statement answered but not sent yet (`sentWithNextStatement`): it goes with the next one. */
  private held: Leading | undefined;

  constructor(config: pg.ClientConfig | undefined, bound: QueryBound) {
    super(config, bound);
    const connection = (this as unknown as { connection: EventEmitter }).connection;
    connection.on('readyForQuery', (message: { status: string }) => {
      this.transactionStatus = message.status;
    });
  }

  /**
   * Released to the pool with a BEGIN or a held statement unsent (a transaction that ended without
   * COMMIT or ROLLBACK): the next user of the connection inherits neither.
   */
  forgetUnsent(): void {
    this.unsentBegin = false;
    this.held = undefined;
  }

  private get parsed(): Record<string, string | undefined> {
    return (this as unknown as { connection: ProtocolConnection }).connection.parsedStatements;
  }

  /** The name a statement runs under on this connection if it is prepared here already. */
  private preparedName(name: string | undefined): string | undefined {
    if (name === undefined) return undefined;
    const current = this.renamed.get(name) ?? name;
    return this.parsed[current] !== undefined ? current : undefined;
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; this forwards them.
  override query(...args: any[]): any {
    const [text, values, callback] = args as unknown[];
    if (isBegin(text, values, callback) && this.transactionStatus === 'I' && !this.unsentBegin) {
      this.unsentBegin = true;
      return Promise.resolve(answered('BEGIN'));
    }
    const plain = typeof text === 'string' && Array.isArray(values) && callback === undefined;
    const shared = typeof text === 'string' && Array.isArray(values) && values.length > 0;
    const name = shared ? this.names.nameFor(text as string) : undefined;
    const inTransaction = this.unsentBegin || this.transactionStatus === 'T';
    if (plain && inTransaction && !this.held && answersNotRead.has(text as string)) {
      const prepared = this.preparedName(name);
      if (prepared !== undefined) {
        this.held = { name: prepared, text: text as string, values: values as unknown[] };
        return Promise.resolve(answered('SELECT'));
      }
    }
    const leading = [...(this.unsentBegin ? [BEGIN] : []), ...(this.held ? [this.held] : [])];
    this.unsentBegin = false;
    this.held = undefined;
    if (plain && values.length === 0 && (text === 'commit' || text === 'rollback')) {
      // A transaction the server never saw (its BEGIN unsent) has nothing to end, and a held
      // statement that ROLLBACK would undo need not run.
      const unseen = leading[0] === BEGIN;
      if (unseen && (text === 'rollback' || leading.length === 1)) {
        return Promise.resolve(answered(text.toUpperCase()));
      }
      // COMMIT with what was held back: one round trip; it commits only if they all ran.
      if (text === 'commit' && leading.length > 0) {
        return this.exchange({ text: 'commit', values: [], queryMode: 'extended' }, leading);
      }
      return (super.query as AnyQuery)(...args);
    }
    if (leading.length > 0) {
      // Together only when the statement is prepared on this connection already: pg records a
      // statement as prepared at the first ParseComplete of its exchange, which would be BEGIN's.
      const prepared = plain ? this.preparedName(name) : undefined;
      if (prepared !== undefined) {
        return this.prepared(name!, text as string, values as unknown[], leading);
      }
      // Anything else: what leads goes on its own first, as it would have been sent, and the
      // statement once it answered. (kysely only sends plain queries; another form is queued behind.)
      const ahead = this.sendAlone(leading);
      if (plain) return ahead.then(() => this.query(...args));
      ahead.catch(() => {}); // its failure is the queued statement's too: the transaction fails
      return (super.query as AnyQuery)(...args);
    }
    if (name === undefined) return (super.query as AnyQuery)(...args);
    const answer = this.prepared(name, text as string, values as unknown[], []);
    if (typeof callback !== 'function') return answer;
    answer.then(
      (result) => (callback as Callback)(null, result),
      (error: Error) => (callback as Callback)(error),
    );
    return undefined;
  }

  /** Statements that lead, sent without a statement of the caller's after them. */
  private sendAlone(leading: Leading[]): Promise<unknown> {
    const last = leading.at(-1)!;
    if (last === BEGIN) return (super.query as AnyQuery)('begin') as Promise<pg.QueryResult>;
    return this.exchange({ name: last.name, text: last.text, values: last.values }, leading.slice(0, -1));
  }

  /** One exchange: `leading`, then the statement of `config`, whose result the caller gets. */
  private exchange(config: Omit<QueryConfig, 'callback'>, leading: Leading[]): Promise<pg.QueryResult> {
    if (leading.length === 0) return (super.query as AnyQuery)(config) as Promise<pg.QueryResult>;
    return new Promise<pg.QueryResult>((resolve, reject) => {
      const callback: Callback = (error, result) => {
        if (error) reject(error);
        // pg answers every statement of the exchange: the caller asked for the last.
        else resolve((Array.isArray(result) ? result.at(-1) : result) as pg.QueryResult);
      };
      (super.query as AnyQuery)(new Exchange({ ...config, callback }, leading));
    });
  }

  private async prepared(
    name: string,
    text: string,
    values: unknown[],
    leading: Leading[],
  ): Promise<pg.QueryResult> {
    const run = (ahead: Leading[]) =>
      this.exchange({ name: this.renamed.get(name) ?? name, text, values }, ahead);
    // No transaction open: the statement is a transaction of its own. (Kysely and pg's pool never
    // queue a second statement on a client; the statement did not run, so running it again is safe.)
    const alone = this.transactionStatus === 'I' && leading.length === 0;
    try {
      return await run(leading);
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      // The stale statement cannot be deallocated inside a failed transaction; a new name is parsed
      // anew at its next use (one leftover statement per connection and changed table). A held
      // statement in the same exchange may have been the stale one: it is parsed anew too.
      for (const stale of [name, ...leading.flatMap((l) => (l.name ? [l.name] : []))]) {
        const original = [...this.renamed].find(([, current]) => current === stale)?.[0] ?? stale;
        this.renamed.set(original, `${original}_${this.renamed.size + 1}`);
      }
      // Alone, nothing else was rolled back: run it again. In a transaction the caller's retry does.
      if (!alone) throw error;
      return run([]);
    }
  }
}
