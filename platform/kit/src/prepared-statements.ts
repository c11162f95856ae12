import type { EventEmitter } from 'node:events';
import pg from 'pg';

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
 * A pool whose connections are PreparingClients (below); `preparedStatements: false` gives pg's own
 * client, for a pooler that cannot keep prepared statements.
 */
export function preparingPool(config: pg.PoolConfig, preparedStatements = true): pg.Pool {
  if (!preparedStatements) return new pg.Pool(config);
  const pool = new pg.Pool({ ...config, Client: preparingClient() });
  // A transaction released without a statement (so without COMMIT or ROLLBACK) left only a BEGIN
  // that was never sent: the next user of the connection must not inherit it.
  pool.on('release', (_error, client) => (client as unknown as PreparingClient).forgetUnsentBegin());
  return pool;
}

/** The client class for one pool (pg's `Client` option): its connections share the pool's names. */
function preparingClient(): typeof pg.Client {
  const names = new StatementNames();
  return class extends PreparingClient {
    protected override readonly names = names;
  };
}

/** What the opening exchange uses of pg's connection (the messages pg-cursor also sends). */
interface ProtocolConnection {
  parse(message: { text: string }): void;
  bind(message: object): void;
  execute(message: object): void;
  /** Names of the statements this connection has prepared (pg's own record). */
  parsedStatements: Record<string, string | undefined>;
}
type QueryConfig = { name: string; text: string; values: unknown[]; callback: Callback };
const PgQuery = pg.Query as unknown as new (
  config: QueryConfig,
) => { prepare(connection: ProtocolConnection): void };

/**
 * A transaction's BEGIN travels with its first statement (docs/performance.md, change 30): the same
 * BEGIN, the same statement, sent in one write under one Sync, so PostgreSQL runs BEGIN, then the
 * statement (skipped if BEGIN failed, as PostgreSQL skips everything up to the Sync after an error),
 * and answers both in one flush. A transaction is one round trip shorter. The caller gets the
 * statement's result, as if BEGIN had been awaited on its own.
 */
class OpeningStatement extends PgQuery {
  override prepare(connection: ProtocolConnection): void {
    connection.parse({ text: 'begin' });
    connection.bind({});
    connection.execute({});
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
 * A pg client that prepares each parameterised statement once per connection, and sends a
 * transaction's BEGIN with its first statement (both above).
 */
abstract class PreparingClient extends pg.Client {
  protected abstract readonly names: StatementNames;
  /** The server's transaction status at the last ReadyForQuery: I idle, T in a transaction, E failed. */
  private transactionStatus = 'I';
  /** Statements this connection prepared again under a new name after their plan went stale. */
  private readonly renamed = new Map<string, string>();
  /** A BEGIN answered but not sent yet: it goes with the next statement. */
  private unsentBegin = false;

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const connection = (this as unknown as { connection: EventEmitter }).connection;
    connection.on('readyForQuery', (message: { status: string }) => {
      this.transactionStatus = message.status;
    });
  }

  /** Released to the pool with its BEGIN unsent (a transaction that never ran a statement): nothing is open. */
  forgetUnsentBegin(): void {
    this.unsentBegin = false;
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; this forwards them.
  override query(...args: any[]): any {
    const [text, values, callback] = args as unknown[];
    if (isBegin(text, values, callback) && this.transactionStatus === 'I' && !this.unsentBegin) {
      this.unsentBegin = true;
      return Promise.resolve(answered('BEGIN'));
    }
    const opening = this.unsentBegin;
    this.unsentBegin = false;
    const plain = typeof text === 'string' && Array.isArray(values) && callback === undefined;
    if (opening && plain && values.length === 0 && (text === 'commit' || text === 'rollback')) {
      // A transaction that ran no statement: the server never saw it, so there is nothing to end.
      return Promise.resolve(answered(text.toUpperCase()));
    }
    const shared = typeof text === 'string' && Array.isArray(values) && values.length > 0;
    const name = shared ? this.names.nameFor(text as string) : undefined;
    if (opening) {
      const parsed = (this as unknown as { connection: ProtocolConnection }).connection.parsedStatements;
      // Together only when the statement is prepared on this connection already: pg records a
      // statement as prepared at the first ParseComplete of its exchange, which would be BEGIN's.
      if (plain && name !== undefined && parsed[this.renamed.get(name) ?? name] !== undefined) {
        return this.prepared(name, text as string, values as unknown[], true);
      }
      // Anything else: BEGIN on its own first, as it would have been sent, and the statement once
      // it answered. (kysely only sends plain queries; another form is queued behind BEGIN.)
      const begun = (super.query as AnyQuery)('begin') as Promise<pg.QueryResult>;
      if (plain) return begun.then(() => this.query(...args));
      begun.catch(() => {}); // its failure is the queued statement's too: the connection is gone
      return (super.query as AnyQuery)(...args);
    }
    if (name === undefined) return (super.query as AnyQuery)(...args);
    const answer = this.prepared(name, text as string, values as unknown[], false);
    if (typeof callback !== 'function') return answer;
    answer.then(
      (result) => (callback as Callback)(null, result),
      (error: Error) => (callback as Callback)(error),
    );
    return undefined;
  }

  private async prepared(
    name: string,
    text: string,
    values: unknown[],
    withBegin: boolean,
  ): Promise<pg.QueryResult> {
    const run = (opening: boolean) => {
      const config = { name: this.renamed.get(name) ?? name, text, values };
      if (!opening) return (super.query as AnyQuery)(config) as Promise<pg.QueryResult>;
      return new Promise<pg.QueryResult>((resolve, reject) => {
        const callback: Callback = (error, result) => {
          if (error) reject(error);
          // pg answers both statements of the exchange: the caller asked for the second.
          else resolve((Array.isArray(result) ? result.at(-1) : result) as pg.QueryResult);
        };
        (super.query as AnyQuery)(new OpeningStatement({ ...config, callback }));
      });
    };
    // No transaction open: the statement is a transaction of its own. (Kysely and pg's pool never
    // queue a second statement on a client; the statement did not run, so running it again is safe.)
    const alone = this.transactionStatus === 'I' && !withBegin;
    try {
      return await run(withBegin);
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      // The stale statement cannot be deallocated inside a failed transaction; a new name is parsed
      // anew at its next use (one leftover statement per connection and changed table).
      this.renamed.set(name, `${name}_${this.renamed.size + 1}`);
      // Alone, nothing else was rolled back: run it again. In a transaction the caller's retry does.
      if (!alone) throw error;
      return run(false);
    }
  }
}
