import { randomUUID } from 'node:crypto';

// Test databases, queues and prefixes are named `<prefix>_<run stamp>_<random>`. The stamp (seconds
// since the epoch, base 36) says when the run began, so a run sharing a real server with others
// clears up only its own names and ones left by runs long over, never those of a run still going
// (between two uses, a stopped service's database has no connection to protect it).

/** Set by the global setup, so every worker of one run stamps its names alike. */
const RUN_ENV = 'SAGAMART_TEST_RUN';
const STALE_AFTER_MS = 6 * 3_600_000;
const STAMPED = /_([0-9a-z]{6})_[0-9a-f]{8}$/;

const stampOf = (ms: number) => Math.floor(ms / 1_000).toString(36);

/** This run's stamp: the global setup's, or (outside a vitest run) this process's start. */
export function runStamp(): string {
  process.env[RUN_ENV] ??= stampOf(Date.now());
  return process.env[RUN_ENV]!;
}

/** Short unique suffix for database, queue and user names. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${runStamp()}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
}

/** Whether this run may drop a test database: its own, an unstamped one, or one of a run over 6 h old. */
export function isDroppable(name: string, now = Date.now()): boolean {
  const stamp = STAMPED.exec(name)?.[1];
  if (!stamp) return true;
  return stamp === runStamp() || now - Number.parseInt(stamp, 36) * 1_000 > STALE_AFTER_MS;
}
