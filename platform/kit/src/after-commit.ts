/**
 * Work to do once a transaction has committed: typically waking a background loop that must see what
 * the transaction wrote (a loop woken earlier could look before the commit and go back to sleep).
 */

/** The callbacks of each open transaction the kit runs (ctx.transaction, an event handler's). */
const waiting = new WeakMap<object, Array<() => void>>();

/** Marks `trx` as a transaction whose commit the kit reports with `runAfterCommit`. */
export function trackCommit(trx: object): void {
  waiting.set(trx, []);
}

/** `trx` committed: runs what was registered on it, each on its own (one failing does not stop the rest). */
export function runAfterCommit(trx: object, onError: (error: unknown) => void): void {
  const callbacks = waiting.get(trx) ?? [];
  waiting.delete(trx);
  for (const callback of callbacks) {
    try {
      callback();
    } catch (error) {
      onError(error);
    }
  }
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
