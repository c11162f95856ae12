/**
 * Login cooldown: after `maxFailures` failed logins in a row for one email address, further logins
 * for it are refused with 429 for `cooldownSeconds`, even with the right password. Counting per
 * email address (not per account) means unknown addresses lock too, so the cooldown reveals
 * nothing about which accounts exist. A success resets the count.
 */
export interface LockoutPolicy {
  maxFailures: number;
  cooldownSeconds: number;
}

export interface LoginAttempts {
  /** Failures since the last success or the end of the last cooldown. */
  failures: number;
  lockedUntil: Date | null;
}

export const NO_ATTEMPTS: LoginAttempts = { failures: 0, lockedUntil: null };

/** Seconds until logins are accepted again; 0 when not locked. */
export function retryAfterSeconds(attempts: LoginAttempts, now: Date): number {
  if (!attempts.lockedUntil) return 0;
  const ms = attempts.lockedUntil.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/** The state after one more failure: the count that reaches the limit starts a cooldown. */
export function recordFailure(attempts: LoginAttempts, policy: LockoutPolicy, now: Date): LoginAttempts {
  const cooledDown = attempts.lockedUntil !== null && retryAfterSeconds(attempts, now) === 0;
  const failures = (cooledDown ? 0 : attempts.failures) + 1;
  if (failures >= policy.maxFailures) {
    return { failures: 0, lockedUntil: new Date(now.getTime() + policy.cooldownSeconds * 1000) };
  }
  return { failures, lockedUntil: cooledDown ? null : attempts.lockedUntil };
}
