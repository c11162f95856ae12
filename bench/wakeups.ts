/**
 * What a request costs its server when it arrives alone, against when requests queue up: `npm run
 * bench -- wakeups`. An order wakes PostgreSQL's backends about 130 times and the services about 16
 * (the orders bench prints them); on a virtual machine a process that slept pays for its caches at
 * each wake, so the same request costs several times more CPU when it wakes its server than when it
 * finds the server busy (docs/performance.md, change 34). Each server is measured three ways in one
 * run: paced one request at a time at 30/s (a wake each: what a service sees at a few dozen orders a
 * second), paced at 300/s, and 16 at once (queued: many requests a wake). The ratio is the figure.
 *
 * Servers: Node's own http with nothing in it (what any Node service pays), and promotion-service (a
 * kit service: fastify, tracing, metrics, identity) on its health route and on the quote order-service
 * asks for at each order (one statement). Every port is one the OS gave out.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@sagamart/launcher/embedded-postgres';
import { Agent, request } from 'undici';
import { onCpuMs, wakeups } from './proc.ts';
import { asService, freePort, startService, stopService } from './support.ts';

const log = (line: string) => console.log(line);

/** A Node http server that answers every request with a small JSON body, in a process of its own. */
async function startBareServer(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:http').createServer((q, r) => { r.setHeader('content-type', 'application/json'); r.end('{"status":"UP"}'); });
       s.listen(0, '127.0.0.1', () => console.log(s.address().port));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`the bare server exited with code ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

interface Case {
  name: string;
  pid: number;
  call: () => Promise<void>;
}

interface Measured {
  cpuUs: number;
  wakeups: number;
}

const agent = new Agent({ connections: 16 });

function caller(
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
) {
  return async () => {
    const res = await request(url, { ...init, dispatcher: agent });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${text.slice(0, 200)}`);
  };
}

/** CPU and wake-ups of the server per request over `run`. */
async function measure(pid: number, requests: number, run: () => Promise<void>): Promise<Measured> {
  const cpuBefore = onCpuMs(pid);
  const wakeupsBefore = wakeups(pid);
  await run();
  return {
    cpuUs: ((onCpuMs(pid) - cpuBefore) * 1000) / requests,
    wakeups: (wakeups(pid) - wakeupsBefore) / requests,
  };
}

/** One request at a time, each started on a fixed schedule (none when the last is still running). */
async function paced(c: Case, perSecond: number, requests: number): Promise<Measured> {
  return measure(c.pid, requests, async () => {
    const started = performance.now();
    for (let i = 0; i < requests; i++) {
      const wait = started + (i * 1000) / perSecond - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await c.call();
    }
  });
}

/** `requests` requests from 16 callers at once, as fast as the server answers. */
async function queued(c: Case, requests: number): Promise<Measured> {
  return measure(c.pid, requests, async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next++ < requests) await c.call();
      }),
    );
  });
}

export async function runWakeupBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sagamart-bench-wakeups-'));
  const embedded = await startEmbeddedPostgres({ dir, port: await freePort(), ephemeral: true });
  const bare = await startBareServer();
  const suffix = randomUUID().slice(0, 8);
  const promotion = await startService('promotion-service', {
    config: { server: { url: '' } },
    server: { host: '127.0.0.1', port: 0 },
    database: { url: embedded.url, name: `bench_wakeups_${suffix}` },
    bus: { database: `bench_wakeups_bus_${suffix}` },
    discovery: { mode: 'static', static: {} },
    log: { level: 'warn' },
  });
  try {
    const quote = JSON.stringify({
      userId: randomUUID(),
      items: [{ skuId: 1, productId: 1, categoryIds: [1], unitPrice: 29_000, quantity: 1 }],
    });
    const cases: Case[] = [
      { name: "Node's http, nothing else", pid: bare.process.pid!, call: caller(`${bare.url}/`) },
      {
        name: 'promotion-service GET /health/live',
        pid: promotion.process.pid!,
        call: caller(`${promotion.url}/health/live`),
      },
      {
        name: 'promotion-service POST /internal/quotes',
        pid: promotion.process.pid!,
        call: caller(`${promotion.url}/internal/quotes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...asService() },
          body: quote,
        }),
      },
    ];
    log('server CPU µs per request (wake-ups per request): one at a time at 30/s and 300/s, and 16 at once');
    log(
      `  ${'server'.padEnd(40)} ${'30/s'.padStart(14)} ${'300/s'.padStart(14)} ${'16 at once'.padStart(14)} ${'30/s ÷ 16 at once'.padStart(18)}`,
    );
    const cell = (m: Measured) => `${m.cpuUs.toFixed(0)} (${m.wakeups.toFixed(1)})`.padStart(14);
    for (const c of cases) {
      // Warm-up (not measured): V8's optimised code and the connections.
      await queued(c, 3_000);
      const slow = await paced(c, 30, 240);
      const faster = await paced(c, 300, 1_500);
      const busy = await queued(c, 5_000);
      log(
        `  ${c.name.padEnd(40)} ${cell(slow)} ${cell(faster)} ${cell(busy)} ${`${(slow.cpuUs / busy.cpuUs).toFixed(1)}×`.padStart(18)}`,
      );
    }
  } finally {
    await stopService(promotion);
    bare.process.kill();
    await agent.close();
    await embedded.stop();
  }
}
