import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  circuitBreaker,
  handleWhen,
  type IBreaker,
} from 'cockatiel';
import type { ServiceMetrics } from './metrics.ts';

export { BrokenCircuitError, CircuitState };

/** Resilience4j's time-based sliding window: the circuit opens on a failure rate, never on a few failures. */
export interface BreakerOptions {
  /** Percentage of failed calls in the window (1–100) that opens the circuit. */
  failureRateThreshold: number;
  /** Calls the window must hold before the rate is judged at all. */
  minimumNumberOfCalls: number;
  /** Length of the sliding window. */
  slidingWindowMs: number;
  /** How long the circuit stays open before one trial call (half-open). */
  halfOpenAfterMs: number;
}

export const defaultBreakerOptions: BreakerOptions = {
  failureRateThreshold: 50,
  minimumNumberOfCalls: 20,
  slidingWindowMs: 10_000,
  halfOpenAfterMs: 5_000,
};

const BUCKETS = 10;

/**
 * Counts outcomes in BUCKETS buckets spanning the window; a bucket older than the window is reset
 * when its slot comes round again, so a burst long ago never counts (cockatiel's SamplingBreaker
 * keeps stale buckets after an idle spell, and has a minimum rate rather than a minimum count).
 */
export class SlidingWindowBreaker implements IBreaker {
  private readonly bucketMs: number;
  private buckets = Array.from({ length: BUCKETS }, () => ({ epoch: -1, failures: 0, calls: 0 }));

  constructor(
    private readonly options: Omit<BreakerOptions, 'halfOpenAfterMs'>,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(options.failureRateThreshold > 0 && options.failureRateThreshold <= 100))
      throw new RangeError(`failureRateThreshold must be in (0, 100], got ${options.failureRateThreshold}`);
    if (!(options.minimumNumberOfCalls >= 1))
      throw new RangeError(`minimumNumberOfCalls must be at least 1, got ${options.minimumNumberOfCalls}`);
    this.bucketMs = Math.max(1, Math.ceil(options.slidingWindowMs / BUCKETS));
  }

  get state(): unknown {
    return { buckets: this.buckets };
  }

  set state(value: unknown) {
    Object.assign(this, value);
  }

  success(state: CircuitState): void {
    // A successful trial closes the circuit: judge afresh from there.
    if (state === CircuitState.HalfOpen) this.reset();
    this.record(false);
  }

  failure(state: CircuitState): boolean {
    this.record(true);
    if (state !== CircuitState.Closed) return true;
    const { calls, failures } = this.totals();
    return (
      calls >= this.options.minimumNumberOfCalls &&
      failures * 100 >= this.options.failureRateThreshold * calls
    );
  }

  private record(failed: boolean): void {
    const epoch = Math.floor(this.clock() / this.bucketMs);
    const bucket = this.buckets[epoch % BUCKETS]!;
    if (bucket.epoch !== epoch) Object.assign(bucket, { epoch, failures: 0, calls: 0 });
    bucket.calls++;
    if (failed) bucket.failures++;
  }

  private totals(): { calls: number; failures: number } {
    const oldest = Math.floor(this.clock() / this.bucketMs) - BUCKETS;
    let calls = 0;
    let failures = 0;
    for (const b of this.buckets) {
      if (b.epoch <= oldest) continue;
      calls += b.calls;
      failures += b.failures;
    }
    return { calls, failures };
  }

  private reset(): void {
    for (const b of this.buckets) Object.assign(b, { epoch: -1, failures: 0, calls: 0 });
  }
}

/**
 * Circuit breakers keyed by target (a service, or a gateway route), created on first use and
 * reported in the `circuit_breaker_state` gauge.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly isFailure: (error: Error) => boolean,
    private readonly options: BreakerOptions = defaultBreakerOptions,
  ) {}

  get(target: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(target);
    if (!breaker) {
      breaker = circuitBreaker(handleWhen(this.isFailure), {
        halfOpenAfter: this.options.halfOpenAfterMs,
        breaker: new SlidingWindowBreaker(this.options),
      });
      this.metrics.circuitState.set({ target }, CircuitState.Closed);
      breaker.onStateChange((state) => this.metrics.circuitState.set({ target }, state));
      this.breakers.set(target, breaker);
    }
    return breaker;
  }

  states(): Record<string, string> {
    return Object.fromEntries([...this.breakers].map(([target, b]) => [target, CircuitState[b.state]]));
  }
}

/** The breaker settings under a config prefix (`http.client.breaker`, `gateway.breaker`). */
export function breakerOptions(config: { number(key: string): number }, prefix: string): BreakerOptions {
  return {
    failureRateThreshold: config.number(`${prefix}.failureRateThreshold`),
    minimumNumberOfCalls: config.number(`${prefix}.minimumNumberOfCalls`),
    slidingWindowMs: config.number(`${prefix}.slidingWindowMs`),
    halfOpenAfterMs: config.number(`${prefix}.halfOpenAfterMs`),
  };
}
