import { READ_MODEL_GENERATION_CHANNEL, ReadModelGeneration } from '@sagamart/contracts';
import type { Config, ServiceContext, Subscription, Transport } from '@sagamart/kit';
import { Counter, Gauge } from 'prom-client';
import { Compile } from 'typebox/compile';
import { ResponseCache } from '../domain/response-cache.ts';

const generationMessage = Compile(ReadModelGeneration);

/** How a cacheable request was answered. */
export type CacheResult = 'hit' | 'revalidated' | 'miss';

/**
 * The response cache as the gateway runs it: its bounds from `gateway.responseCache`, the read models'
 * generations followed from their broadcasts, and whether those broadcasts reach this gateway now
 * (when they may not, or may have been missed while the connection was down and none was heard since,
 * every kept answer is checked with its upstream before it is served).
 */
export class GatewayResponseCache {
  readonly cache: ResponseCache;
  private subscription: Subscription | undefined;
  private transport: Transport | undefined;
  private readonly results: Counter<'result'>;

  constructor(config: Config, metrics: ServiceContext['metrics']) {
    this.cache = new ResponseCache({
      maxEntries: config.number('gateway.responseCache.maxEntries'),
      maxBytes: config.number('gateway.responseCache.maxBytes'),
      maxEntryBytes: config.number('gateway.responseCache.maxEntryBytes'),
      heardWithinMs: config.number('gateway.responseCache.heardWithinMs'),
    });
    this.results = new Counter({
      name: 'gateway_response_cache_total',
      help: 'Requests to cacheable routes by how they were answered: hit (no upstream call), revalidated (upstream 304), miss',
      labelNames: ['result'],
      registers: [metrics.registry],
    });
    const cache = this.cache;
    new Gauge({
      name: 'gateway_response_cache_bytes',
      help: 'Body bytes held by the response cache',
      registers: [metrics.registry],
      collect() {
        this.set(cache.byteSize);
      },
    });
  }

  get enabled(): boolean {
    return this.cache.enabled;
  }

  async start(transport: Transport | undefined): Promise<void> {
    this.transport = transport;
    if (!this.cache.enabled) return;
    this.subscription = await transport?.onBroadcast(
      READ_MODEL_GENERATION_CHANNEL,
      (payload) => {
        if (generationMessage.Check(payload)) this.cache.heard(payload.service, payload.generation);
      },
      // An advance broadcast while the connection was down is gone: check kept answers until the next.
      { missed: () => this.cache.forgetHeard() },
    );
  }

  /** Whether broadcasts reach this gateway now; without a transport they never do. */
  listening(): boolean {
    return this.transport?.listening() ?? false;
  }

  count(result: CacheResult): void {
    this.results.inc({ result });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
  }
}
