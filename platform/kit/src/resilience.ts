import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import type { ServiceMetrics } from './metrics.ts';

export { BrokenCircuitError, CircuitState };

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call (half-open). */
  halfOpenAfterMs: number;
}

export const defaultBreakerOptions: BreakerOptions = { failureThreshold: 5, halfOpenAfterMs: 5_000 };

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
        breaker: new ConsecutiveBreaker(this.options.failureThreshold),
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
