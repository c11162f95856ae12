import { Counter, collectDefaultMetrics, Gauge, Histogram, type Metric, Registry } from 'prom-client';
import { EVENT_LOOP_METRIC_NAMES, EventLoopDelay } from './event-loop-delay.ts';

/**
 * The Node runtime's metrics (CPU, memory, GC, event-loop delay), collected once per process: they
 * describe the process, not a service, so the services sharing one (the shared host, `--in-process`,
 * tests) share them, and each service's registry renders them with its own labels.
 */
let runtime: { registry: Registry; eventLoop: EventLoopDelay } | undefined;
function processRuntime(): NonNullable<typeof runtime> {
  if (!runtime) {
    const registry = new Registry();
    // prom-client's event-loop sampler runs from start to exit; EventLoopDelay samples only while the
    // process works. Its own is given a period it never reaches (2^31 - 1 ms) and its gauges replaced.
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 2 ** 31 - 1 });
    for (const name of EVENT_LOOP_METRIC_NAMES) registry.removeSingleMetric(name);
    const eventLoop = new EventLoopDelay();
    eventLoop.register(registry);
    runtime = { registry, eventLoop };
  }
  return runtime;
}

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
  /** Work arrived (a user's request, an event): the process's event-loop delay is sampled meanwhile. */
  working(): void;
}

export function createMetrics(serviceName: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: serviceName });
  const { registry: runtimeRegistry, eventLoop } = processRuntime();
  // The same metric objects, in this registry too (its labels apply when it renders them).
  for (const metric of runtimeRegistry.getMetricsAsArray())
    registry.registerMetric(metric as unknown as Metric);
  const sources: ServiceMetrics['sources'] = {};
  return {
    registry,
    sources,
    working: () => eventLoop.working(),
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
