import { type Kysely, sql } from '@sagamart/kit';
// A cycle with index.ts, used only once a test waits (not while the modules load).
import { eventually } from './index.ts';

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
    const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    const waiting = Number(rows[0]!.n);
    if (waiting < count) throw new Error(`${waiting} statement(s) wait on a lock, not yet ${count}`);
    return true;
  }, timeoutMs);
}
