/**
 * Work to do once a transaction has committed: typically waking a background loop that must see what
 * the transaction wrote (a loop woken earlier could look before the commit and go back to sleep).
 */
import type { Kysely, Transaction } from 'kysely';

/** The callbacks of each open transaction the kit runs (ctx.transaction, an event handler's). */
const waiting = new WeakMap<object, Array<() => void>>();

/**
 * Runs `fn` in a transaction of `db` that `afterCommit` can wait on: what was registered on it runs
 * once it has committed, each callback on its own (`onError` hears one that throws); nothing runs
 * after a rollback.
 */
export async function trackedTransaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  onError: (error: unknown) => void,
): Promise<T> {
  const callbacks: Array<() => void> = [];
  const result = await db.transaction().execute((trx) => {
    waiting.set(trx, callbacks);
    return fn(trx);
  });
  for (const callback of callbacks) {
    try {
      callback();
    } catch (error) {
      onError(error);
    }
  }
  return result;
}

/**
 * Runs `fn` once what `db` wrote is committed: after the transaction commits when `db` is one the kit
 * opened (`ctx.transaction`, an event handler's `trx`), never if it rolls back; at once when `db` is
 * the database itself (each statement committed by itself). A transaction opened some other way
 * cannot report its commit, so it is refused rather than left to run `fn` never.
 */
export function afterCommit(db: object, fn: () => void): void {
  const callbacks = waiting.get(db);
  if (callbacks) {
    callbacks.push(fn);
    return;
  }
  if ((db as { isTransaction?: boolean }).isTransaction)
    throw new Error('afterCommit needs a transaction opened by ctx.transaction or an event handler');
  fn();
}
