import { databaseUrl, PostgresTransport, type Service } from '@sagamart/kit';
import { asPlatform, eventually, pgServerUrl, startTestService, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import configServer from '../src/index.ts';

describe('config server: POST /refresh broadcasts config.refresh on the bus', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  /** A config server plus a listener on the same bus, recording every refresh broadcast. */
  async function setup() {
    const bus = uniqueName('t_bus');
    const server = await startTestService(configServer, { config: { bus: { database: bus, pollMs: 500 } } });
    cleanup.push(() => server.stop());
    const listener = new PostgresTransport({ url: databaseUrl(pgServerUrl(), bus) });
    cleanup.push(() => listener.close());
    const heard: unknown[] = [];
    await listener.onBroadcast('config.refresh', (payload) => heard.push(payload));
    return { server, heard };
  }
  const post = (server: Service, path: string, init: { type?: string; body?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { ...asPlatform(), ...(init.type ? { 'content-type': init.type } : {}) },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });

  it('tells every service, or the one named, to refresh', async () => {
    const { server, heard } = await setup();

    const all = await post(server, '/refresh');
    expect(all.status).toBe(202);
    expect(await all.json()).toEqual({ refreshed: '*' });
    await eventually(() => heard.length === 1);
    expect(heard[0]).toEqual({});

    const one = await post(server, '/refresh', {
      type: 'application/json',
      body: JSON.stringify({ destination: 'gateway' }),
    });
    expect(await one.json()).toEqual({ refreshed: 'gateway' });
    await eventually(() => heard.length === 2);
    expect(heard[1]).toEqual({ destination: 'gateway' });

    // Spring Cloud Bus's endpoints, an empty JSON body included.
    expect((await post(server, '/actuator/busrefresh', { type: 'application/json', body: '' })).status).toBe(
      202,
    );
    const bus = await post(server, '/actuator/busrefresh/user-service');
    expect(await bus.json()).toEqual({ refreshed: 'user-service' });
    await eventually(() => heard.length === 4);
    expect(heard.slice(2)).toEqual([{}, { destination: 'user-service' }]);
  });

  it('rejects a bad destination or body with 400 and broadcasts nothing', async () => {
    const { server, heard } = await setup();
    const bad = [
      { type: 'application/json', body: JSON.stringify({ destination: '../gateway' }) },
      { type: 'application/json', body: JSON.stringify({ destination: 'gateway', extra: 1 }) },
      { type: 'application/json', body: '{not json' },
    ];
    for (const init of bad) {
      const res = await post(server, '/refresh', init);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    // A good refresh afterwards arrives alone: the rejected ones were never sent.
    await post(server, '/refresh', {
      type: 'application/json',
      body: JSON.stringify({ destination: 'marker' }),
    });
    await eventually(() => heard.length > 0);
    expect(heard).toEqual([{ destination: 'marker' }]);
  });

  it('answers 503 when it runs without an event bus', async () => {
    const server = await startTestService(configServer, { config: { database: { url: '' } } });
    cleanup.push(() => server.stop());
    const res = await post(server, '/refresh');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { detail: string }).detail).toContain('event bus');
  });
});
