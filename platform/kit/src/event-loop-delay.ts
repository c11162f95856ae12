import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

/** How often the delay is sampled while the process works: 100 ms still catches any stall that long. */
const SAMPLE_MS = 100;
/** The sampler stops once this long has passed without work. */
const IDLE_AFTER_MS = 30_000;

/** prom-client's names, so dashboards built for its default metrics read these. */
const LAG = 'nodejs_eventloop_lag_seconds';
const HISTOGRAM_GAUGES = {
  min: ['nodejs_eventloop_lag_min_seconds', 'The minimum recorded event loop delay.'],
  max: ['nodejs_eventloop_lag_max_seconds', 'The maximum recorded event loop delay.'],
  mean: ['nodejs_eventloop_lag_mean_seconds', 'The mean of the recorded event loop delays.'],
  stddev: [
    'nodejs_eventloop_lag_stddev_seconds',
    'The standard deviation of the recorded event loop delays.',
  ],
  p50: ['nodejs_eventloop_lag_p50_seconds', 'The 50th percentile of the recorded event loop delays.'],
  p90: ['nodejs_eventloop_lag_p90_seconds', 'The 90th percentile of the recorded event loop delays.'],
  p99: ['nodejs_eventloop_lag_p99_seconds', 'The 99th percentile of the recorded event loop delays.'],
} as const;
export const EVENT_LOOP_METRIC_NAMES = [LAG, ...Object.values(HISTOGRAM_GAUGES).map(([name]) => name)];

/**
 * The event-loop delay of a process, sampled only while it works: from a user's request or a
 * delivered event (or a frame on a WebSocket) until 30 s pass without one. A sampler is a timer that wakes its process every
 * 100 ms (≈ 0.05 % of a core, measured, for prom-client's; `npm start` runs twelve Node processes),
 * and a delay only matters to work waiting behind it: at idle nothing waits. Heartbeats, health checks
 * and scrapes are not work here. The first sample is timed from the work's arrival, so a handler that
 * holds the loop at once is seen (Node's monitorEventLoopDelay drops its first interval). A scrape
 * resets the histogram; one with no sample since reports 0 (nothing waited).
 */
export class EventLoopDelay {
  private readonly histogram: RecordableHistogram = createHistogram();
  private timer: NodeJS.Timeout | undefined;
  private expectedAt = 0;
  private lastWorkAt = 0;
  /** The figures of the scrape in progress (read). */
  private snapshot: Record<keyof typeof HISTOGRAM_GAUGES, number> | undefined;

  /** Work arrived: sample from now until IDLE_AFTER_MS pass without any. */
  working(): void {
    this.lastWorkAt = performance.now();
    if (!this.timer) this.schedule(this.lastWorkAt);
  }

  private schedule(from: number): void {
    this.expectedAt = from + SAMPLE_MS;
    this.timer = setTimeout(() => this.sample(), SAMPLE_MS).unref();
  }

  private sample(): void {
    const now = performance.now();
    this.histogram.record(Math.max(1, Math.round((now - this.expectedAt) * 1e6)));
    if (now - this.lastWorkAt < IDLE_AFTER_MS) this.schedule(now);
    else this.timer = undefined;
  }

  /**
   * The histogram's figures in seconds, read and reset once per scrape: a scrape collects every gauge
   * in one synchronous pass, so they all read this snapshot, dropped after that pass.
   */
  private read(key: keyof typeof HISTOGRAM_GAUGES): number {
    if (!this.snapshot) {
      const h = this.histogram;
      const seconds = (ns: number) => (h.count > 0 ? ns / 1e9 : 0);
      this.snapshot = {
        min: seconds(h.min),
        max: seconds(h.max),
        mean: seconds(h.mean),
        stddev: seconds(h.stddev),
        p50: seconds(h.percentile(50)),
        p90: seconds(h.percentile(90)),
        p99: seconds(h.percentile(99)),
      };
      h.reset();
      setImmediate(() => {
        this.snapshot = undefined;
      });
    }
    return this.snapshot[key];
  }

  /** The lag gauges, in `registry`. */
  register(registry: Registry): void {
    const delay = this;
    for (const [key, [name, help]] of Object.entries(HISTOGRAM_GAUGES)) {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(delay.read(key as keyof typeof HISTOGRAM_GAUGES));
        },
      });
    }
    new Gauge({
      name: LAG,
      help: 'Lag of event loop in seconds.',
      registers: [registry],
      // How long a callback queued at the scrape waits.
      async collect() {
        const queued = performance.now();
        await new Promise<void>((resolve) => setImmediate(resolve));
        this.set((performance.now() - queued) / 1000);
      },
    });
  }
}
