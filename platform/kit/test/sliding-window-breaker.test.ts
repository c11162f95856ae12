import { CircuitState } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { SlidingWindowBreaker } from '../src/resilience.ts';

const options = { failureRateThreshold: 50, minimumNumberOfCalls: 20, slidingWindowMs: 10_000 };

describe('SlidingWindowBreaker', () => {
  it('opens at the failure rate once the window holds the minimum number of calls', () => {
    const breaker = new SlidingWindowBreaker(options, () => 1_000);
    for (let n = 0; n < 10; n++) breaker.success(CircuitState.Closed);
    for (let n = 0; n < 9; n++) expect(breaker.failure(CircuitState.Closed)).toBe(false);
    // 10 of 20 calls failed: 50 %.
    expect(breaker.failure(CircuitState.Closed)).toBe(true);
  });

  it('forgets calls older than the window, even after an idle spell', () => {
    let now = 0;
    const breaker = new SlidingWindowBreaker(options, () => now);
    for (let n = 0; n < 19; n++) expect(breaker.failure(CircuitState.Closed)).toBe(false);
    now = 10_500;
    // The 19 failures are 10.5 s old: this is the first call of a new window.
    expect(breaker.failure(CircuitState.Closed)).toBe(false);
    now = 60_000;
    for (let n = 0; n < 19; n++) expect(breaker.failure(CircuitState.Closed)).toBe(false);
    now = 65_000;
    expect(breaker.failure(CircuitState.Closed)).toBe(true);
  });

  it('judges afresh after a successful half-open trial, and reopens on a failed one', () => {
    const breaker = new SlidingWindowBreaker({ ...options, minimumNumberOfCalls: 2 }, () => 0);
    expect(breaker.failure(CircuitState.HalfOpen)).toBe(true);
    breaker.success(CircuitState.HalfOpen);
    expect(breaker.failure(CircuitState.Closed)).toBe(true);
    breaker.success(CircuitState.HalfOpen);
    breaker.success(CircuitState.Closed);
    expect(breaker.failure(CircuitState.Closed)).toBe(false);
  });

  it('refuses settings that cannot work', () => {
    expect(() => new SlidingWindowBreaker({ ...options, failureRateThreshold: 0 })).toThrow(RangeError);
    expect(() => new SlidingWindowBreaker({ ...options, failureRateThreshold: 101 })).toThrow(RangeError);
    expect(() => new SlidingWindowBreaker({ ...options, minimumNumberOfCalls: 0 })).toThrow(RangeError);
  });
});
