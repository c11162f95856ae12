import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** How often the event-loop delay is sampled (nodejs_eventloop_lag_* metrics). */
const EVENT_LOOP_SAMPLE_MS = 100;

/** The metrics every service exposes at /metrics; services add their own to `registry`. */
export interface ServiceMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  eventsPublished: Counter<'event'>;
  eventsConsumed: Counter<'event' | 'result'>;
  outboxBacklog: Gauge;
  /** Set by the outbox relay; read when /metrics is scraped. */
  sources: { outboxBacklog?: () => Promise<number> };
  circuitState: Gauge<'target'>;
}

export function createMetrics(serviceName: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: serviceName });
  // The event-loop delay histogram samples on a timer: prom-client's 10 ms default wakes every
  // process 100 times a second (0.3 % of a core each, idle); 100 ms still catches any stall that long.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  const sources: ServiceMetrics['sources'] = {};
  return {
    registry,
    sources,
    httpDuration: new Histogram({
      name: 'http_server_requests_seconds',
      help: 'HTTP server request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    eventsPublished: new Counter({
      name: 'events_published_total',
      help: 'Events delivered from the outbox to the transport',
      labelNames: ['event'],
      registers: [registry],
    }),
    eventsConsumed: new Counter({
      name: 'events_consumed_total',
      help: 'Events handled, by result: ok, duplicate, retry, dead_lettered',
      labelNames: ['event', 'result'],
      registers: [registry],
    }),
    outboxBacklog: new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox rows not yet delivered to the transport',
      registers: [registry],
      async collect() {
        if (!sources.outboxBacklog) return;
        try {
          this.set(await sources.outboxBacklog());
        } catch {
          // Database unavailable: keep the last value; readiness reports the outage.
        }
      },
    }),
    circuitState: new Gauge({
      name: 'circuit_breaker_state',
      help: 'Circuit breaker state per target: 0 closed, 1 open, 2 half-open, 3 isolated',
      labelNames: ['target'],
      registers: [registry],
    }),
  };
}
