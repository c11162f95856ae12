import { type Kysely, sql, type Transaction } from '@sagamart/kit';
// A cycle with index.ts, used only once a test waits (not while the modules load).
import { eventually } from './index.ts';

/** How many statements of `db`'s database wait on a lock now (pg_stat_activity). */
// biome-ignore lint/suspicious/noExplicitAny: only PostgreSQL's own views are read
export async function lockWaiters(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
  return Number(rows[0]!.n);
}

/**
 * Resolves once at least `count` statements of `db`'s database wait on a lock (pg_stat_activity),
 * so a test that holds a lock knows the statements it raced have queued up behind it, in turn.
 * Fails after `timeoutMs`, saying how many were waiting.
 */
export async function waitForLockWaiters(
  // biome-ignore lint/suspicious/noExplicitAny: only PostgreSQL's own views are read
  db: Kysely<any>,
  count: number,
  timeoutMs = 10_000,
): Promise<void> {
  await eventually(async () => {
    const waiting = await lockWaiters(db);
    if (waiting < count) throw new Error(`${waiting} statement(s) wait on a lock, not yet ${count}`);
    return true;
  }, timeoutMs);
}

/**
 * Takes locks in a transaction of the test's own (`lock` runs a `select … for update` or a `lock
 * table`) and holds them until `release`, so that the statements a test starts next queue up behind
 * them, in turn (waitForLockWaiters tells when they have). `release` ends the transaction.
 */
export async function holdLocks(
  // biome-ignore lint/suspicious/noExplicitAny: any database; `lock` names its own tables
  db: Kysely<any>,
  // biome-ignore lint/suspicious/noExplicitAny: see above
  lock: (trx: Transaction<any>) => Promise<unknown>,
): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held!: () => void;
  const lockHeld = new Promise<void>((resolve) => {
    held = resolve;
  });
  const holding = db.transaction().execute(async (trx) => {
    await lock(trx);
    held();
    await gate;
  });
  // A lock that fails ends the transaction: its error, rather than a wait for ever.
  await Promise.race([lockHeld, holding]);
  return {
    async release() {
      release();
      await holding;
    },
  };
}
