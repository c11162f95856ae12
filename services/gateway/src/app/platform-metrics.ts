import type { PlatformMetrics } from '@sagamart/contracts/http/platform';
import type { DeploymentCredentials, ServiceInstance } from '@sagamart/kit';
import { parsePrometheusText } from '@sagamart/kit';
import type { Static } from 'typebox';
import { request } from 'undici';
import {
  type RequestCounters,
  type RequestWindow,
  requestCounters,
  serviceRates,
  windowBetween,
} from '../domain/request-rates.ts';
import { upstreamAgent } from '../infra/upstream-http.ts';

type Summary = Static<typeof PlatformMetrics>['services'][number];

const SCRAPE_TIMEOUT_MS = 2_000;
/** Rates cover up to this much of the recent past (older scrapes are dropped). */
const WINDOW_MS = 60_000;
/** Two scrapes closer than this give no rate worth showing; the older one is kept as the baseline. */
const MIN_WINDOW_MS = 1_000;

/**
 * Request rate, 5xx share and p99 per service, from two scrapes of each instance's /metrics: each look
 * scrapes every instance and compares with the oldest scrape of the last minute it kept (so the first
 * look has no rates yet, and every later one covers up to a minute).
 */
export class PlatformMetricsReader {
  private readonly scrapes = new Map<string, RequestCounters[]>();

  constructor(private readonly credentials: DeploymentCredentials) {}

  async summary(applications: Map<string, ServiceInstance[]>): Promise<Summary[]> {
    const services = [...applications.entries()].sort(([a], [b]) => a.localeCompare(b));
    const seen = new Set<string>();
    const summaries = await Promise.all(
      services.map(async ([name, instances]) => {
        const windows = await Promise.all(
          instances.map(async (instance) => {
            seen.add(instance.instanceId);
            const now = await this.scrape(instance);
            return now && this.windowOf(instance.instanceId, now);
          }),
        );
        const answered = windows.filter((w) => w !== undefined);
        const rates = serviceRates(answered.filter((w) => w !== null));
        return {
          name,
          instances: answered.length,
          unreachable: instances.length - answered.length,
          windowSeconds: rates ? round(rates.windowSeconds, 1) : null,
          requestsPerSecond: rates ? round(rates.requestsPerSecond, 2) : null,
          errorRate: rates?.errorRate == null ? null : round(rates.errorRate, 4),
          p99Ms: rates?.p99Ms == null ? null : round(rates.p99Ms, 1),
        };
      }),
    );
    // Instances that left discovery take their history with them.
    for (const id of this.scrapes.keys()) if (!seen.has(id)) this.scrapes.delete(id);
    return summaries;
  }

  /** The instance's counters now, or undefined when its /metrics does not answer. */
  private async scrape(instance: ServiceInstance): Promise<RequestCounters | undefined> {
    try {
      const res = await request(new URL('/metrics', instance.url), {
        // The platform's Basic login, as Prometheus scrapes: every service takes it on /metrics (the
        // gateway and the config server take no service token there).
        headers: { authorization: this.credentials.basicAuthorization() },
        dispatcher: upstreamAgent,
        signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) return undefined;
      return requestCounters(parsePrometheusText(text), Date.now());
    } catch {
      return undefined;
    }
  }

  /** What happened since the oldest kept scrape (null: none old enough yet); keeps `now` for later looks. */
  private windowOf(instanceId: string, now: RequestCounters): RequestWindow | null {
    const kept = this.scrapes.get(instanceId) ?? [];
    const baseline = kept.find((s) => now.at - s.at >= MIN_WINDOW_MS);
    kept.push(now);
    // Keep the newest scrape older than the window too: the next look's baseline is at most that old.
    while (kept.length > 1 && now.at - kept[1]!.at >= WINDOW_MS) kept.shift();
    this.scrapes.set(instanceId, kept);
    return baseline ? windowBetween(baseline, now) : null;
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
