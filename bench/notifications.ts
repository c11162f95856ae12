/**
 * Notification bench, on the embedded default (embedded PostgreSQL and its queue):
 * - idle WebSockets held through the gateway (BENCH_SOCKETS, 2,000), and the memory they cost the
 *   gateway and notification-service (RSS before and after);
 * - delivery latency from the event's commit (order.placed, in the publisher's transaction) to the
 *   client's receipt through the gateway, p50/p99, at BENCH_RATE notifications/s (100) for
 *   BENCH_SECONDS (10).
 *
 * Every port is one the OS gave out (no default port, so BENCH_PORT_OFFSET does not apply).
 * The gateway and notification-service run in their own processes with static discovery; the bench
 * process holds the sockets, serves a JWKS and signs one access token per user, and publishes the
 * events through its own outbox on the shared bus, as order-service would.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NotificationServerMessage, OrderPlaced } from '@sagamart/contracts';
import { defineService } from '@sagamart/kit';
import { startEmbeddedPostgres } from '@sagamart/launcher/embedded-postgres';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import WebSocket from 'ws';
import { type Child, freePort, quantile, startService, stopService } from './support.ts';

const log = (line: string) => console.log(`  ${line}`);
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** Resident memory of a child process, from /proc (Linux). */
function rss(child: Child): number {
  const status = readFileSync(`/proc/${child.process.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** A JWKS at auth-service's path and tokens signed like auth-service signs them. */
async function startTokenIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/auth/.well-known/jwks.json')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    } else if (req.url === '/health/ready') res.end('{"status":"UP"}');
    else res.writeHead(404).end();
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const sign = (userId: string) =>
    new SignJWT({ email: `${userId}@bench.test`, role: 'USER', token_type: 'access' })
      .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
      .setSubject(userId)
      .setIssuer('sagamart-auth')
      .setAudience('sagamart')
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
  return { url: `http://127.0.0.1:${port}`, sign, close: () => server.close() };
}

interface Client {
  userId: string;
  socket: WebSocket;
}

function openClient(
  wsUrl: string,
  userId: string,
  token: string,
  onMessage: (m: NotificationServerMessage) => void,
) {
  return new Promise<Client>((resolve, reject) => {
    const socket = new WebSocket(wsUrl, ['bearer', token], { perMessageDeflate: false });
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => reject(new Error(`handshake answered ${res.statusCode}: ${body}`)));
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'resume', since: 0 })));
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as NotificationServerMessage;
      if (message.type === 'resumed') resolve({ userId, socket });
      onMessage(message);
    });
  });
}

const publisher = defineService({ name: 'notification-bench', port: 0, migrations: {} });

export async function runNotificationBench(): Promise<void> {
  const sockets = Number(process.env.BENCH_SOCKETS ?? 2_000);
  const rate = Number(process.env.BENCH_RATE ?? 100);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const dir = await mkdtemp(join(tmpdir(), 'sagamart-bench-notify-'));
  const embedded = await startEmbeddedPostgres({ dir, port: await freePort(), ephemeral: true });
  const issuer = await startTokenIssuer();
  const children: Child[] = [];
  const clients: Client[] = [];
  const serverUrl = embedded.url;
  const base = {
    config: { server: { url: '' } },
    server: { host: '127.0.0.1', port: 0 },
    database: { url: serverUrl },
    bus: { database: 'bench_bus' },
    log: { level: 'warn' },
  };
  let probe: ReturnType<typeof publisher> | undefined;
  try {
    const notifications = await startService('notification-service', {
      ...base,
      database: { url: serverUrl, name: 'bench_notification' },
      discovery: { mode: 'static' },
    });
    children.push(notifications);
    const gateway = await startService('gateway', {
      ...base,
      database: { url: '' },
      discovery: {
        mode: 'static',
        static: { 'auth-service': issuer.url, 'notification-service': notifications.url },
      },
      // One token per user, so the per-user limit is not what is measured.
      gateway: { rateLimits: { default: { capacity: 1_000, refillPerSecond: 1_000 } } },
    });
    children.push(gateway);
    probe = publisher({
      env: {},
      // Static discovery: the publisher must not register with (or poll) a platform on the default ports.
      config: {
        ...base,
        database: { url: serverUrl, name: 'bench_publisher' },
        discovery: { mode: 'static' },
      },
    });
    await probe.start();

    const wsUrl = `${gateway.url.replace(/^http/, 'ws')}/ws/notifications`;
    const before = { gateway: rss(gateway), notifications: rss(notifications) };
    const committedAt = new Map<string, number>();
    const latencies: number[] = [];
    const onMessage = (message: NotificationServerMessage) => {
      if (message.type !== 'notification' || !message.orderId) return;
      const at = committedAt.get(message.orderId);
      if (at !== undefined) latencies.push(performance.now() - at);
    };

    log(`opening ${sockets} WebSockets through the gateway…`);
    const opening = Date.now();
    for (let i = 0; i < sockets; i += 100) {
      const batch = Array.from({ length: Math.min(100, sockets - i) }, async () => {
        const userId = randomUUID();
        return openClient(wsUrl, userId, await issuer.sign(userId), onMessage);
      });
      clients.push(...(await Promise.all(batch)));
    }
    const openMs = Date.now() - opening;
    // Let allocations settle before reading memory.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = { gateway: rss(gateway), notifications: rss(notifications) };
    const perSocket = (k: 'gateway' | 'notifications') => (after[k] - before[k]) / sockets;
    log(`${clients.length} idle WebSockets held (opened in ${(openMs / 1000).toFixed(1)} s)`);
    log(
      `memory: gateway ${mb(before.gateway)} → ${mb(after.gateway)} (${(perSocket('gateway') / 1024).toFixed(1)} KB/socket), ` +
        `notification-service ${mb(before.notifications)} → ${mb(after.notifications)} (${(perSocket('notifications') / 1024).toFixed(1)} KB/socket)`,
    );

    log(`publishing order.placed at ${rate}/s for ${seconds} s…`);
    const total = rate * seconds;
    const ctx = probe.context;
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const client = clients[i % clients.length]!;
      const orderId = randomUUID();
      const payload = {
        orderId,
        orderNumber: `ORD-20261204-${String(i).padStart(8, '0')}`,
        userId: client.userId,
        version: 2,
        subtotal: 10_000,
        discountAmount: 0,
        pointsUsed: 0,
        payableAmount: 10_000,
        orderName: '벤치 상품',
        placedAt: new Date().toISOString(),
      };
      void ctx
        .transaction((trx) => ctx.publish(trx, OrderPlaced, payload))
        .then(() => {
          committedAt.set(orderId, performance.now());
        });
    }
    const deadline = Date.now() + 30_000;
    while (latencies.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const sorted = Float64Array.from(latencies).sort();
    log(
      `delivered ${latencies.length}/${total}: p50 ${quantile(sorted, 0.5).toFixed(0)} ms, ` +
        `p99 ${quantile(sorted, 0.99).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms (commit → client, through the gateway)`,
    );
    // Latency on a shared machine says little without the load it was measured under.
    log(
      `load average ${loadavg()
        .map((n) => n.toFixed(2))
        .join(', ')} (1, 5, 15 min) on ${availableParallelism()} cores`,
    );
  } finally {
    for (const client of clients) client.socket.terminate();
    await probe?.stop();
    for (const child of children.reverse()) await stopService(child);
    issuer.close();
    await embedded.stop();
  }
}
