/**
 * Login throttling, after Keycloak's brute-force detection and Auth0's per-user-and-address
 * blocking. Each attempt is checked against two counters:
 *   - one per email and client address: `maxFailures` failures, then a wait that doubles with each
 *     further failure (`baseDelaySeconds`, 2×, 4×, … up to `maxDelaySeconds`);
 *   - one per client address over all emails (`maxFailuresPerAddress`, same backoff): one address
 *     trying many accounts.
 * So an attacker slows down only themselves: the owner of the account, from another address, still
 * logs in. An attempt is charged as a failure before the password is checked (parallel guesses
 * cannot all pass a check made before any is counted) and refunded when it proves right. A counter
 * with no failure for `failureResetSeconds` starts again from zero. Counting per email (not per
 * account) means unknown emails throttle the same, so nothing reveals which accounts exist.
 */
export interface LockoutPolicy {
  maxFailures: number;
  maxFailuresPerAddress: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  failureResetSeconds: number;
}

export interface Throttle {
  /** Failures counted, including attempts still being checked. */
  failures: number;
  blockedUntil: Date | null;
  lastFailureAt: Date | null;
}

export const NO_FAILURES: Throttle = { failures: 0, blockedUntil: null, lastFailureAt: null };

/** Seconds until attempts are accepted again; 0 when not blocked. */
export function retryAfterSeconds(throttle: Throttle, now: Date): number {
  if (!throttle.blockedUntil) return 0;
  const ms = throttle.blockedUntil.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/** The wait after the given failure: none below the limit, then doubling up to the maximum. */
export function backoffSeconds(failures: number, limit: number, policy: LockoutPolicy): number {
  if (failures < limit) return 0;
  return Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** Math.min(failures - limit, 30));
}

/** The counter with this attempt charged as a failure. The caller refuses the attempt while blocked. */
export function chargeAttempt(throttle: Throttle, limit: number, policy: LockoutPolicy, now: Date): Throttle {
  const stale =
    throttle.lastFailureAt !== null &&
    now.getTime() - throttle.lastFailureAt.getTime() > policy.failureResetSeconds * 1000;
  const failures = (stale ? 0 : throttle.failures) + 1;
  const wait = backoffSeconds(failures, limit, policy);
  return {
    failures,
    blockedUntil: wait > 0 ? new Date(now.getTime() + wait * 1000) : null,
    lastFailureAt: now,
  };
}
