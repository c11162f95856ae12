import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Config, type Service } from '@sagamart/kit';
import { eventually, pgServerUrl, startTestService, tcpProxy } from '@sagamart/testkit';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { configProbe, settings } from './config-probe.ts';

/**
 * A config server that serves `features.banner` as set, counts and times its reads, can answer
 * 503 (down), and can hold its answers until released.
 */
async function stubConfigServer() {
  const stub = {
    banner: 'v1',
    down: false,
    reads: [] as number[],
    held: [] as Array<() => void>,
    holding: false,
    url: '',
    release() {
      this.holding = false;
      for (const answer of this.held.splice(0)) answer();
    },
  };
  const server: Server = createServer((_req, res) => {
    stub.reads.push(Date.now());
    // What the server held when the read arrived, even if the answer is held.
    const banner = stub.banner;
    const answer = () => {
      if (stub.down) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          name: 'probe',
          profiles: ['default'],
          label: null,
          version: null,
          state: null,
          propertySources: [{ name: 'stub', source: { 'features.banner': banner } }],
        }),
      );
    };
    if (stub.holding) stub.held.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    stub,
    close: () =>
      new Promise<void>((resolve) => {
        stub.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function capturedLog() {
  const lines: Array<{ level: number; msg: string; prefix?: string }> = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  return { log, lines };
}

describe('config refresh: the client', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function load() {
    const { stub, close } = await stubConfigServer();
    cleanup.push(close);
    const { log, lines } = capturedLog();
    const config = await Config.load({
      service: 'probe',
      profile: 'default',
      defaults: { features: { banner: 'bundled' } },
      serverUrl: stub.url,
      env: {},
      refreshable: ['features'],
      log,
    });
    return { stub, config, lines };
  }

  it('serves every refresh asked while one waits for its turn with that one read, made after the asks', async () => {
    const { stub, config } = await load();
    expect(config.string('features.banner')).toBe('v1');
    stub.holding = true;
    stub.banner = 'v2';
    const running = config.refresh();
    await eventually(() => stub.held.length === 1);
    // Asked while the first read is under way: one more read, after it, serves them all.
    stub.banner = 'v3';
    const waiting = [config.refresh(), config.refresh({ throwIfUnreachable: true }), config.refresh()];
    stub.release();
    expect(await running).toEqual(['features.banner']);
    expect(await Promise.all(waiting)).toEqual([
      ['features.banner'],
      ['features.banner'],
      ['features.banner'],
    ]);
    expect(config.string('features.banner')).toBe('v3');
    // The load, the first refresh and the one shared by the three.
    expect(stub.reads).toHaveLength(3);
  });

  it('tells every listener of a change though one throws, and logs that one', async () => {
    const { stub, config, lines } = await load();
    const seen: string[] = [];
    config.onChange('features', () => {
      throw new Error('listener broke');
    });
    config.onChange('features', (c) => seen.push(c.string('features.banner')));
    stub.banner = 'v2';
    expect(await config.refresh()).toEqual(['features.banner']);
    expect(seen).toEqual(['v2']);
    expect(lines.filter((l) => l.msg === 'config change listener failed')).toMatchObject([
      { level: 50, prefix: 'features' },
    ]);
  });
});

describe('config refresh: catching up after lost broadcasts', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('runs one catch-up loop however often the bus connection flaps while the config server is down', async () => {
    const { stub, close } = await stubConfigServer();
    cleanup.push(close);
    const proxy = await tcpProxy(pgServerUrl());
    cleanup.push(() => proxy.close());
    const probe: Service = await startTestService(configProbe(`probe-${randomUUID().slice(0, 8)}`), {
      config: { config: { server: { url: stub.url } }, database: { url: proxy.url } },
    });
    cleanup.push(() => probe.stop());
    const transport = probe.context.transport!;
    // Started, and its read after it listened (the load and one more) answered.
    await eventually(() => stub.reads.length === 2 && transport.listening());
    expect(await settings(probe)).toMatchObject({ banner: 'v1', source: 'config-server' });

    stub.down = true;
    const readsBefore = stub.reads.length;
    // Each flap loses the bus connection and, once it is back, says broadcasts may have been missed.
    for (let flap = 0; flap < 4; flap++) {
      proxy.down();
      await eventually(() => !transport.listening());
      proxy.up();
      await eventually(() => transport.listening());
    }
    await eventually(() => stub.reads.length >= readsBefore + 4, 20_000);
    // One loop backs off: at least half a second between its reads. Four loops would read in bursts.
    const reads = stub.reads.slice(readsBefore);
    const gaps = reads.slice(1).map((at, i) => at - reads[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(450);

    stub.banner = 'v2';
    stub.down = false;
    await eventually(async () => (await settings(probe)).banner === 'v2', 20_000);
  }, 45_000);
});
