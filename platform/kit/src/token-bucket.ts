/** A rate-limit class: a bucket of `capacity` tokens refilled continuously (rate > 0); each request takes one. */
export interface BucketLimit {
  capacity: number;
  refillPerSecond: number;
}

export interface BucketState {
  tokens: number;
  updatedAtMs: number;
}

export interface BucketDecision {
  allowed: boolean;
  /** The state to store (also when refused: the refill up to now is kept). */
  state: BucketState;
  /** When refused: whole seconds until a token is back (at least 1). 0 when allowed. */
  retryAfterSeconds: number;
}

/** Takes one token from the bucket (a missing bucket is full). */
export function takeToken(state: BucketState | undefined, limit: BucketLimit, nowMs: number): BucketDecision {
  const previous = state ?? { tokens: limit.capacity, updatedAtMs: nowMs };
  // A clock that went backwards refills nothing rather than draining the bucket.
  const elapsedMs = Math.max(0, nowMs - previous.updatedAtMs);
  const tokens = Math.min(limit.capacity, previous.tokens + (elapsedMs * limit.refillPerSecond) / 1000);
  if (tokens >= 1) {
    return { allowed: true, state: { tokens: tokens - 1, updatedAtMs: nowMs }, retryAfterSeconds: 0 };
  }
  return {
    allowed: false,
    state: { tokens, updatedAtMs: nowMs },
    retryAfterSeconds: retryAfterSeconds(tokens, limit),
  };
}

export function retryAfterSeconds(tokens: number, limit: BucketLimit): number {
  return Math.max(1, Math.ceil((1 - tokens) / limit.refillPerSecond));
}

/** How long an untouched bucket takes to fill up again: after that, forgetting it changes nothing. */
export function bucketIdleTtlMs(limit: BucketLimit): number {
  return Math.ceil((limit.capacity / limit.refillPerSecond) * 1000) + 1000;
}
