import {
  type ColumnType,
  CompiledQuery,
  type Expression,
  type Generated,
  type Insertable,
  Kysely,
  type Migration,
  Migrator,
  PostgresDialect,
  type RawBuilder,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
  type UpdateObject,
} from 'kysely';
import pg from 'pg';
import { preparingPool, sentWithNextStatement, withStatementBound } from './prepared-statements.ts';
import { recordQueryTime } from './tracing.ts';

export {
  type ColumnType,
  type Expression,
  type Generated,
  type Insertable,
  type Kysely,
  type Migration,
  type RawBuilder,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
  type UpdateObject,
};

// BIGINT (int8) and NUMERIC come back as strings by default; our money and counters fit in JS numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

const TRANSACTION_LOCK = sentWithNextStatement('select pg_advisory_xact_lock(hashtext($1))');

/**
 * Takes a lock on a key until the transaction ends (PostgreSQL's transaction-scoped advisory lock):
 * everything a service does about one key (an order's reservation, an account's email) in turn,
 * also before any row of it exists. Goes with the transaction's next statement (one round trip
 * fewer): that statement runs once the lock is held and, under READ COMMITTED, sees what the previous
 * holder committed, as if this had been awaited on its own. Only in a transaction.
 */
export async function lockForTransaction<DB>(trx: Transaction<DB>, key: string): Promise<void> {
  await trx.executeQuery(CompiledQuery.raw(TRANSACTION_LOCK, [key]));
}

/** Replaces the database name in a server URL. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates the database on the server when it is missing (safe under concurrent starts). Asks over
 * `via`, a pool on another database of the same server, when there is one: a connection of its own
 * costs PostgreSQL a backend (about 26 ms of its CPU on the machine of docs/performance.md).
 */
export async function ensureDatabase(
  serverUrl: string,
  database: string,
  via?: Pick<pg.Pool, 'query'>,
): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`Unsafe database name: ${database}`);
  if (via) return createIfMissing(via, database);
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    await createIfMissing(client, database);
  } finally {
    await client.end();
  }
}

/** Whether a statement failed because its database does not exist (yet). */
export function isMissingDatabase(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === '3D000'; // invalid_catalog_name
}

async function createIfMissing(client: Pick<pg.Pool, 'query'>, database: string): Promise<void> {
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
  if (rowCount) return;
  await client.query(`create database ${database}`).catch((error: { code?: string }) => {
    // 42P04 duplicate_database, 23505 unique violation: another process created it first.
    if (error.code !== '42P04' && error.code !== '23505') throw error;
  });
}

export interface Database<DB> {
  db: Kysely<DB>;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Connections in the pool (8). */
  max?: number;
  /**
   * Statements with parameters prepared once per connection, and a transaction's BEGIN sent with its
   * first statement (true; prepared-statements.ts). Off for a connection pooler that cannot keep
   * prepared statements, such as PgBouncer before 1.21 in transaction mode.
   */
  preparedStatements?: boolean;
  /**
   * Hears a connection that PostgreSQL ended while it was in use (in a transaction, or running a
   * statement): that use fails, the pool replaces the connection, and the service goes on.
   */
  onConnectionLost?: (error: Error) => void;
  /**
   * How long a statement may run (60 s; 0: for ever), in PostgreSQL too: it cancels a statement past
   * the bound and ends a session that sat in a transaction for as long, so no work the caller gave up
   * on goes on holding locks. A statement still unanswered a little later (its network went silent)
   * fails and its connection is closed. Longer than any statement slow on purpose, which runs with
   * `withStatementTimeout`; migrations run without it (prepared-statements.ts).
   */
  queryTimeoutMs?: number;
}

/** The pool under each Kysely instance openDatabase made: migrations and long work borrow from it. */
const pools = new WeakMap<object, pg.Pool>();

export function openDatabase<DB>(url: string, options: DatabaseOptions = {}): Database<DB> {
  // An idle connection is closed after 70 s: longer than the services' idle loops (at most a minute
  // apart), so a loop that looks once a minute reuses its connection instead of starting a backend
  // (a fork and a SCRAM handshake, ≈ 25 ms of PostgreSQL's CPU on the development machine; change
  // 28); a burst's extra connections (2–4 MB each) are let go a minute after it.
  const pool = preparingPool(
    {
      connectionString: url,
      max: options.max ?? 8,
      idleTimeoutMillis: 70_000,
      query_timeout: options.queryTimeoutMs ?? 60_000,
    },
    options.preparedStatements !== false,
    options.onConnectionLost,
  );
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => recordQueryTime(event.queryDurationMillis),
  });
  pools.set(db, pool);
  return { db, pool, url, close: () => db.destroy() };
}

/**
 * Runs `work` on one connection of its own whose statements may each run for up to `timeoutMs`
 * (0: for ever) instead of the pool's `queryTimeoutMs` (ADR 0021): work that is long on purpose on a
 * large data set, such as a rebuild's statements over a whole table or a VACUUM. PostgreSQL holds the
 * larger bound as it holds the pool's, and the connection goes back to the pool with the pool's bound.
 * One connection: its statements and transactions run one at a time (as on Kysely's `connection()`),
 * and a statement on the instance given to `work` while one of its transactions is open waits for it.
 * Two round trips more than the same work on the pool (setting the bound, taking it back).
 */
export async function withStatementTimeout<DB, T>(
  db: Kysely<DB>,
  timeoutMs: number,
  work: (db: Kysely<DB>) => Promise<T>,
): Promise<T> {
  const pool = pools.get(db);
  if (!pool) throw new Error('withStatementTimeout needs a database that openDatabase opened');
  return withStatementBound(pool, timeoutMs, (client) => work(onConnection<DB>(client)));
}

/**
 * A Kysely instance whose statements all go on one connection: one user at a time, the next waiting
 * until the previous released it (a transaction holds it until it ends).
 */
function onConnection<DB>(client: pg.PoolClient): Kysely<DB> {
  let free: Promise<void> = Promise.resolve();
  const lender = {
    async connect() {
      const previous = free;
      let release!: () => void;
      free = new Promise<void>((resolve) => (release = resolve));
      await previous;
      return {
        query: (...args: unknown[]) => (client.query as (...a: unknown[]) => unknown)(...args),
        release,
      };
    },
    async end() {},
  };
  return new Kysely<DB>({
    dialect: new PostgresDialect({ pool: lender as unknown as pg.Pool }),
    log: (event) => recordQueryTime(event.queryDurationMillis),
  });
}

/**
 * Applies migrations in name order. Kysely's migrator takes a lock, so concurrent starts of the
 * same service are safe, and applied migrations are skipped, so running twice is a no-op.
 *
 * A database that a newer release already migrated (a rolling deploy, a rollback) has every
 * migration this code knows plus newer ones: this code starts on it and `onNewer` hears the names
 * it does not know (docs/deploy.md, ADR 0013). Kysely would refuse it as corrupted, and still
 * refuses every other history this code does not match, such as one of its own missing before an
 * applied one. Its statements are not bound by the pool's query timeout (they run on a connection
 * lent without one): an index build may take minutes, and one cut short would be retried and cut
 * short at every start.
 */
export async function migrate(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
  table = 'schema_migrations',
  onNewer: (names: string[]) => void = () => {},
): Promise<void> {
  // The usual start: nothing to apply. Kysely's migrator would find that out by reading PostgreSQL's
  // catalog, four or five times a call, the dearest statements of a start (docs/performance.md, change 29).
  const before = await appliedState(db, migrations, table);
  if (before.upToDate) {
    if (before.newer.length) onNewer(before.newer);
    return;
  }
  const pool = pools.get(db);
  const { error, results } = pool
    ? await withStatementBound(pool, 0, (client) => migrateToLatest(onConnection(client), migrations, table))
    : await migrateToLatest(db, migrations, table);
  if (error && !results) {
    // Refused before applying anything: a newer release may have migrated while this start waited
    // for the lock, after the look above.
    const after = await appliedState(db, migrations, table);
    if (after.upToDate && after.newer.length) {
      onNewer(after.newer);
      return;
    }
  }
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(
      `Migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? 'unknown'}`,
      {
        cause: error,
      },
    );
  }
}

function migrateToLatest(db: Kysely<unknown>, migrations: Record<string, Migration>, table: string) {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: table,
    migrationLockTableName: `${table}_lock`,
  });
  return migrator.migrateToLatest();
}

/**
 * Whether every one of these migrations is applied, and which applied ones this code does not know.
 * It is up to date with unknown ones only when all of them sort after the last it knows (a newer
 * release's, added after them); anything else is for Kysely's checks.
 */
async function appliedState(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
  table: string,
): Promise<{ upToDate: boolean; newer: string[] }> {
  let applied: Set<string>;
  try {
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(db);
    applied = new Set(rows.map((row) => row.name));
  } catch (error) {
    // No table yet: the first start.
    if ((error as { code?: string }).code === '42P01') return { upToDate: false, newer: [] };
    throw error;
  }
  // Sorted as Kysely sorts them.
  const known = Object.keys(migrations).sort();
  if (!known.every((name) => applied.has(name))) return { upToDate: false, newer: [] };
  const unknown = [...applied].filter((name) => !Object.hasOwn(migrations, name)).sort();
  const last = known.at(-1);
  const allNewer = last === undefined || unknown.every((name) => name > last);
  return allNewer ? { upToDate: true, newer: unknown } : { upToDate: false, newer: [] };
}
