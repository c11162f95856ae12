import type { PrometheusSample } from '@sagamart/kit/pure';

/** The kit's request histogram (platform/kit metrics.ts), on every service alike. */
const HISTOGRAM = 'http_server_requests_seconds';

/**
 * One instance's request counters at one scrape: every request it answered since it started, the 5xx
 * among them, and the latency histogram (cumulative count per upper bound in seconds). The platform's
 * own probes (/health/*, /metrics) are left out: they are not traffic.
 */
export interface RequestCounters {
  at: number;
  requests: number;
  errors: number;
  buckets: Map<number, number>;
}

export function requestCounters(samples: PrometheusSample[], at: number): RequestCounters {
  const counters: RequestCounters = { at, requests: 0, errors: 0, buckets: new Map() };
  for (const sample of samples) {
    const route = sample.labels.route ?? '';
    if (route.startsWith('/health') || route === '/metrics') continue;
    if (sample.name === `${HISTOGRAM}_count`) {
      counters.requests += sample.value;
      if ((sample.labels.status ?? '').startsWith('5')) counters.errors += sample.value;
    } else if (sample.name === `${HISTOGRAM}_bucket` && sample.labels.le !== undefined) {
      const le = sample.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(sample.labels.le);
      counters.buckets.set(le, (counters.buckets.get(le) ?? 0) + sample.value);
    }
  }
  return counters;
}

/** What one instance did between two of its scrapes. */
export interface RequestWindow {
  seconds: number;
  requests: number;
  errors: number;
  buckets: Map<number, number>;
}

/** The window between two scrapes of one instance; a restart in between counts from zero. */
export function windowBetween(before: RequestCounters, after: RequestCounters): RequestWindow {
  const restarted = after.requests < before.requests;
  const base = restarted ? { requests: 0, errors: 0, buckets: new Map<number, number>() } : before;
  const buckets = new Map<number, number>();
  for (const [le, count] of after.buckets) buckets.set(le, Math.max(0, count - (base.buckets.get(le) ?? 0)));
  return {
    seconds: (after.at - before.at) / 1000,
    requests: after.requests - base.requests,
    errors: Math.max(0, after.errors - base.errors),
    buckets,
  };
}

/** A service's figures from the windows of its instances: rates add up, the p99 is of all requests. */
export function serviceRates(windows: RequestWindow[]) {
  if (windows.length === 0) return undefined;
  let requests = 0;
  let errors = 0;
  let requestsPerSecond = 0;
  const buckets = new Map<number, number>();
  for (const w of windows) {
    requests += w.requests;
    errors += w.errors;
    requestsPerSecond += w.seconds > 0 ? w.requests / w.seconds : 0;
    for (const [le, count] of w.buckets) buckets.set(le, (buckets.get(le) ?? 0) + count);
  }
  const p99Seconds = histogramQuantile(buckets, 0.99);
  return {
    windowSeconds: Math.max(...windows.map((w) => w.seconds)),
    requestsPerSecond,
    errorRate: requests > 0 ? errors / requests : null,
    p99Ms: p99Seconds === null ? null : p99Seconds * 1000,
  };
}

/**
 * The q-quantile of a cumulative histogram, as Prometheus's histogram_quantile computes it: linear
 * within the bucket that holds it; the highest finite bound when it falls in +Inf. Null without data.
 */
export function histogramQuantile(buckets: Map<number, number>, q: number): number | null {
  const bounds = [...buckets.entries()].sort(([a], [b]) => a - b);
  const total = bounds.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [le, count] of bounds) {
    if (count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return lowerBound;
      const inBucket = count - lowerCount;
      return inBucket <= 0 ? le : lowerBound + (le - lowerBound) * ((rank - lowerCount) / inBucket);
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound;
}
