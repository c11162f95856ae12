import { defaultBreakerOptions, defineService, type Service } from '@sagamart/kit';
import { scrapeMetrics, startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type FakeAuth, startFakeAuth, startGateway, stopAll, TestDiscovery } from './harness.ts';

/** A downstream with a bug: a coupon id beyond int4 fails with 500 (as promotion-service once did). */
const pricing = defineService({
  name: 'pricing-service',
  port: 0,
  routes(app) {
    app.post('/price', async (req) => {
      const { couponId } = req.body as { couponId: number };
      if (couponId > 2_147_483_647) throw new Error('value out of range for type integer');
      return { total: 10_000 - couponId };
    });
  },
});

/** The caller in the middle (order-service's role): a POST to pricing-service per quote. */
const quotes = defineService({
  name: 'quote-service',
  port: 0,
  routes(app, ctx) {
    app.post('/api/quotes', async (req) => ctx.client('pricing-service').post('/price', req.body));
  },
});

function breakerState(metrics: string, target: string): number | undefined {
  const line = metrics
    .split('\n')
    .find((l) => l.startsWith('circuit_breaker_state{') && l.includes(`target="${target}"`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('one shopper hammering with bad input', () => {
  const discovery = new TestDiscovery();
  let auth: FakeAuth;
  let services: Service<unknown>[] = [];
  let gw: Service<unknown>;
  let quoteService: Service<unknown>;

  beforeAll(async () => {
    auth = await startFakeAuth();
    const pricingService = await startTestService(pricing, { config: { database: { url: '' } } });
    quoteService = await startTestService(quotes, {
      config: {
        database: { url: '' },
        discovery: { mode: 'static', static: { 'pricing-service': pricingService.url } },
        // The shipped defaults: 50 % of at least 20 calls in 10 s.
        http: { client: { breaker: { ...defaultBreakerOptions } } },
      },
    });
    discovery.set('auth-service', auth.service.url);
    discovery.set('quote-service', quoteService.url);
    gw = await startGateway(discovery, {
      routes: [{ id: 'quotes', path: '/api/quotes', service: 'quote-service', role: 'USER' }],
      breaker: { ...defaultBreakerOptions },
    });
    services = [auth.service, pricingService, quoteService, gw];
  });
  afterAll(() => stopAll(services));

  it('fails only that shopper’s requests: everyone else’s quotes keep succeeding and no breaker opens', async () => {
    const attacker = bearer(await auth.sign({ sub: 'attacker' }));
    const shoppers = await Promise.all(
      Array.from({ length: 5 }, async (_, n) => bearer(await auth.sign({ sub: `shopper-${n}` }))),
    );
    const quote = (headers: Record<string, string>, couponId: number) =>
      fetch(`${gw.url}/api/quotes`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ couponId }),
      });

    const bad: number[] = [];
    const good: number[] = [];
    for (let round = 0; round < 20; round++) {
      const [a, b, c, d] = await Promise.all([
        quote(attacker, 2_147_483_648),
        quote(attacker, 2_147_483_648),
        quote(attacker, 2_147_483_648),
        quote(shoppers[round % shoppers.length]!, 7),
      ]);
      bad.push(a.status, b.status, c.status);
      good.push(d.status);
      if (d.status === 200) expect(await d.json()).toEqual({ total: 9_993 });
    }
    // 60 failed quotes, three times as many as the valid ones: none of them is an outage.
    expect(new Set(bad)).toEqual(new Set([502]));
    expect(new Set(good)).toEqual(new Set([200]));
    const quoteMetrics = await scrapeMetrics(quoteService.url);
    expect(breakerState(quoteMetrics, 'pricing-service')).toBe(0);
    const gatewayMetrics = await scrapeMetrics(gw);
    expect(breakerState(gatewayMetrics, 'route:quotes')).toBe(0);
  });
});
