import { MemoryRateLimiter, RedisRateLimiter } from '@sagamart/kit';
import { testLog } from '@sagamart/testkit';
import { describe, expect, it } from 'vitest';

const limit = { capacity: 2, refillPerSecond: 1 };

describe('memory rate limiter', () => {
  it('keeps a bucket per key', async () => {
    const limiter = new MemoryRateLimiter(100, () => 0);
    expect((await limiter.take('a', limit)).allowed).toBe(true);
    expect((await limiter.take('a', limit)).allowed).toBe(true);
    expect(await limiter.take('a', limit)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await limiter.take('b', limit)).allowed).toBe(true);
  });

  it('forgets the least recently used buckets beyond its bound', async () => {
    const limiter = new MemoryRateLimiter(2, () => 0);
    await limiter.take('a', limit);
    await limiter.take('a', limit);
    await limiter.take('b', limit);
    await limiter.take('c', limit);
    // "a" was pushed out, so it starts full again.
    expect((await limiter.take('a', limit)).allowed).toBe(true);
  });
});

describe('Redis rate limiter', () => {
  it('limits in memory while Redis cannot be reached', async () => {
    const limiter = new RedisRateLimiter('redis://127.0.0.1:1', 't:', testLog);
    try {
      expect((await limiter.take('k', limit)).allowed).toBe(true);
      expect((await limiter.take('k', limit)).allowed).toBe(true);
      expect((await limiter.take('k', limit)).allowed).toBe(false);
    } finally {
      await limiter.close();
    }
  });
});
