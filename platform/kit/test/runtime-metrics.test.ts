import { once } from 'node:events';
import fastifyWebsocket from '@fastify/websocket';
import { defineService, parsePrometheusText, type Service } from '@sagamart/kit';
import { asPlatform, startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

/** Holds the event loop, as a slow synchronous handler would. */
function holdLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

/** The Node runtime's metrics: one set per process, rendered by every service in it under its own name. */
describe('kit: runtime metrics', () => {
  let busy: Service;
  let quiet: Service;

  beforeAll(async () => {
    busy = await startTestService(
      defineService({
        name: 'busy-service',
        port: 0,
        async routes(app) {
          app.post('/api/block', async () => {
            holdLoop(300);
            return { blockedMs: 300 };
          });
          await app.register(fastifyWebsocket);
          app.get('/ws/block', { websocket: true }, (socket) => {
            socket.on('message', () => {
              holdLoop(300);
              socket.send('done');
            });
          });
        },
      }),
      { config: { database: { url: '' } } },
    );
    quiet = await startTestService(defineService({ name: 'quiet-service', port: 0 }), {
      config: { database: { url: '' } },
    });
  });
  afterAll(async () => {
    await Promise.all([busy?.stop(), quiet?.stop()]);
  });

  const scrape = async (service: Service) => {
    const res = await fetch(`${service.url}/metrics`, { headers: asPlatform() });
    expect(res.status).toBe(200);
    return parsePrometheusText(await res.text());
  };
  const value = (samples: Awaited<ReturnType<typeof scrape>>, name: string) =>
    samples.find((s) => s.name === name)?.value;

  it("reports the process's runtime metrics under each service's name", async () => {
    for (const [service, name] of [
      [busy, 'busy-service'],
      [quiet, 'quiet-service'],
      [busy, 'busy-service'], // again, after the other's scrape
    ] as const) {
      const runtime = (await scrape(service)).filter((s) =>
        [
          'nodejs_eventloop_lag_p99_seconds',
          'process_cpu_seconds_total',
          'nodejs_heap_size_used_bytes',
        ].includes(s.name),
      );
      expect(new Set(runtime.map((s) => s.name)).size).toBe(3);
      for (const sample of runtime) {
        expect(sample.labels.service).toBe(name);
        expect(Number.isFinite(sample.value)).toBe(true);
      }
    }
  });

  it('samples the event-loop delay while a request works: a handler that holds the loop shows in the lag', async () => {
    await scrape(busy); // starts the next histogram window
    const res = await fetch(`${busy.url}/api/block`, { method: 'POST', headers: asPlatform() });
    expect(res.status).toBe(200);
    const after = await scrape(busy);
    expect(value(after, 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(0.1);
    expect(value(after, 'nodejs_eventloop_lag_max_seconds')).toBeLessThan(5);
    // The window was read and reset: the next scrape starts from nothing.
    const next = await scrape(busy);
    expect(value(next, 'nodejs_eventloop_lag_max_seconds')).toBeLessThan(0.1);
  });

  it('counts a WebSocket frame as work: a frame handler that holds the loop shows in the lag', async () => {
    const socket = new WebSocket(`${busy.url.replace('http', 'ws')}/ws/block`, { headers: asPlatform() });
    await once(socket, 'open');
    await scrape(busy); // starts the next histogram window
    socket.send('go');
    await once(socket, 'message');
    socket.close();
    expect(value(await scrape(busy), 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(0.1);
  });
});
