import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Logger as PinoLogger } from 'pino';
import { type BucketLimit, type BucketState, bucketIdleTtlMs, takeToken } from './token-bucket.ts';

export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until a token is back (0 when allowed). */
  retryAfterSeconds: number;
}

/** Token buckets by key (rate-limit class + caller). */
export interface RateLimiter {
  take(key: string, limit: BucketLimit): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/** Buckets in this process: the least recently used are forgotten beyond `maxBuckets`. */
export class MemoryRateLimiter implements RateLimiter {
  // A Map iterates in insertion order; re-inserting on use keeps the least recently used first.
  private readonly buckets = new Map<string, BucketState>();

  constructor(
    private readonly maxBuckets = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string, limit: BucketLimit): Promise<RateLimitDecision> {
    const decision = takeToken(this.buckets.get(key), limit, this.now());
    this.buckets.delete(key);
    this.buckets.set(key, decision.state);
    if (this.buckets.size > this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
    return { allowed: decision.allowed, retryAfterSeconds: decision.retryAfterSeconds };
  }

  async close(): Promise<void> {}
}

// The same arithmetic as domain/token-bucket.ts, run atomically next to the data, on Redis's clock so
// that several gateways agree. Returns {allowed (0|1), retryAfterSeconds}.
const TAKE_TOKEN = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(saved[1]) or capacity
local at = tonumber(saved[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if allowed == 1 then return {1, 0} end
return {0, math.max(1, math.ceil((1 - tokens) / rate))}
`;

type Logger = PinoLogger;
type TakeTokenCommand = (
  key: string,
  capacity: number,
  rate: number,
  ttlMs: number,
) => Promise<[number, number]>;

/**
 * Buckets in Redis, shared by every gateway instance; keys expire once a bucket would be full again.
 * While Redis is unreachable the limits are applied per instance (in memory) rather than dropped.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly fallback = new MemoryRateLimiter();
  private lastWarnAt = 0;

  constructor(
    url: string,
    private readonly keyPrefix: string,
    private readonly log: Logger,
  ) {
    // No offline queue: while disconnected, calls fail at once (and fall back) instead of waiting for a reconnect.
    // ioredis is loaded here, not at import: only a gateway on REDIS_URL uses it (1.8 MB of heap).
    const { Redis: RedisClient } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
    this.redis = new RedisClient(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: 500,
      connectTimeout: 2_000,
    });
    this.redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
    this.redis.on('error', (error) => this.warn(error));
  }

  /** Waits (a little) for the connection, so a gateway that starts next to Redis limits in Redis from its first request. */
  async connected(timeoutMs = 2_000): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async take(key: string, limit: BucketLimit): Promise<RateLimitDecision> {
    const takeToken = (this.redis as unknown as { takeToken: TakeTokenCommand }).takeToken.bind(this.redis);
    try {
      const [allowed, retryAfterSeconds] = await takeToken(
        `${this.keyPrefix}${key}`,
        limit.capacity,
        limit.refillPerSecond,
        bucketIdleTtlMs(limit),
      );
      return { allowed: allowed === 1, retryAfterSeconds };
    } catch (error) {
      this.warn(error);
      return this.fallback.take(key, limit);
    }
  }

  private warn(error: unknown): void {
    if (Date.now() - this.lastWarnAt < 10_000) return;
    this.lastWarnAt = Date.now();
    this.log.warn({ err: (error as Error).message }, 'rate limiting in memory: Redis is unreachable');
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
