import { problemResponses, withRetryAfter } from '@sagamart/kit';
import {
  escapeLike,
  isUniqueViolation,
  likeContains,
  likePrefix,
  Problem,
  ProblemSchema,
} from '@sagamart/kit/pure';
import { describe, expect, it } from 'vitest';

describe('kit helpers', () => {
  it('escapes LIKE wildcards so text matches itself', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
    expect(likeContains('a_b')).toBe('%a\\_b%');
    expect(likePrefix('A%')).toBe('A\\%%');
  });

  it('recognises a unique violation, optionally of one constraint', () => {
    const error = Object.assign(new Error('duplicate key'), {
      code: '23505',
      constraint: 'orders_idempotency',
    });
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'orders_idempotency')).toBe(true);
    expect(isUniqueViolation(error, 'other')).toBe(false);
    expect(isUniqueViolation(Object.assign(new Error('fk'), { code: '23503' }))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });

  it('builds problem response maps', () => {
    expect(problemResponses(400, 404)).toEqual({ 400: ProblemSchema, 404: ProblemSchema });
  });

  it('sets Retry-After from a problem that carries retryAfterSeconds, and rethrows', async () => {
    const headers: Record<string, string> = {};
    const reply = { header: (name: string, value: string) => (headers[name] = value) };
    const limited = new Problem(429, 'slow down', { extensions: { retryAfterSeconds: 7 } });
    await expect(withRetryAfter(reply, () => Promise.reject(limited))).rejects.toBe(limited);
    expect(headers).toEqual({ 'retry-after': '7' });
    await expect(withRetryAfter(reply, async () => 'ok')).resolves.toBe('ok');
  });
});
