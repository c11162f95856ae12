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

/** The client class for one pool (pg's `Client` option): its connections share the pool's names. */
export function preparingClient(): typeof pg.Client {
  const names = new StatementNames();
  return class extends PreparingClient {
    protected override readonly names = names;
  };
}

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

/** A pg client that prepares each parameterised statement once per connection (see above). */
abstract class PreparingClient extends pg.Client {
  protected abstract readonly names: StatementNames;
  /** The server's transaction status at the last ReadyForQuery: I idle, T in a transaction, E failed. */
  private transactionStatus = 'I';
  /** Statements this connection prepared again under a new name after their plan went stale. */
  private readonly renamed = new Map<string, string>();

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const connection = (this as unknown as { connection: EventEmitter }).connection;
    connection.on('readyForQuery', (message: { status: string }) => {
      this.transactionStatus = message.status;
    });
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; this forwards them.
  override query(...args: any[]): any {
    const [text, values, callback] = args as unknown[];
    const shared = typeof text === 'string' && Array.isArray(values) && values.length > 0;
    const name = shared ? this.names.nameFor(text as string) : undefined;
    if (name === undefined) return (super.query as AnyQuery)(...args);
    const answer = this.prepared(name, text as string, values as unknown[]);
    if (typeof callback !== 'function') return answer;
    answer.then(
      (result) => (callback as Callback)(null, result),
      (error: Error) => (callback as Callback)(error),
    );
    return undefined;
  }

  private async prepared(name: string, text: string, values: unknown[]): Promise<pg.QueryResult> {
    const run = () =>
      (super.query as AnyQuery)({
        name: this.renamed.get(name) ?? name,
        text,
        values,
      }) as Promise<pg.QueryResult>;
    // No transaction open: the statement is a transaction of its own. (Kysely and pg's pool never
    // queue a second statement on a client; the statement did not run, so running it again is safe.)
    const alone = this.transactionStatus === 'I';
    try {
      return await run();
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      // The stale statement cannot be deallocated inside a failed transaction; a new name is parsed
      // anew at its next use (one leftover statement per connection and changed table).
      this.renamed.set(name, `${name}_${this.renamed.size + 1}`);
      // Alone, nothing else was rolled back: run it again. In a transaction the caller's retry does.
      if (!alone) throw error;
      return run();
    }
  }
}
