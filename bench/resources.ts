/**
 * Resource bench: each service's resident memory (RSS) at idle and at its peak under the order load,
 * with the whole platform started as `npm start` does (every service in its own process), on
 * RabbitMQ and Redis when they answer (as on Kubernetes), else on the embedded defaults. The
 * requests and limits in deploy/k8s come from these figures (deploy/k8s/base/resources.yaml).
 *
 * The order load (bench/orders.ts) goes to product-, order- and payment-service directly; the
 * gateway and the services the saga does not call show little more than idle. Knobs: BENCH_ORDERS
 * (300), BENCH_ORDER_CONCURRENCY (16), BENCH_PORT_OFFSET (19000).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '@sagamart/launcher';
import { orderLoad } from './orders.ts';
import { rssMiB } from './proc.ts';
import { benchDeploymentSecret, freePort, reachable } from './support.ts';

export async function runResourceBench(): Promise<void> {
  const orders = Number(process.env.BENCH_ORDERS ?? 300);
  const concurrency = Number(process.env.BENCH_ORDER_CONCURRENCY ?? 16);
  const amqp = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const real = (await reachable(amqp)) && (await reachable(redis));
  const suffix = randomUUID().slice(0, 8);
  const dataDir = await mkdtemp(join(tmpdir(), 'sagamart-bench-resources-'));
  // The platform's own PostgreSQL (embedded, in dataDir): its databases cannot meet anyone else's.
  const saved = { ...process.env };
  delete process.env.DATABASE_URL;
  process.env.SAGAMART_DEPLOYMENT_SECRET = benchDeploymentSecret;
  if (real) Object.assign(process.env, { AMQP_URL: amqp, REDIS_URL: redis });
  else for (const key of ['AMQP_URL', 'REDIS_URL']) delete process.env[key];
  console.log(`whole platform, one process per service, ${real ? 'RabbitMQ + Redis' : 'embedded defaults'}…`);
  const platform = await startPlatform({
    dataDir,
    quiet: true,
    // Each service's own figures, as each runs in a pod of its own (not the shared host, ADR 0011).
    processPerService: true,
    portOffset: Number(process.env.BENCH_PORT_OFFSET ?? 19_000),
    postgresPort: await freePort(),
    env: {
      LOG_LEVEL: 'warn',
      ...(real
        ? {
            AMQP_PREFIX: `bench_${suffix}.`,
            GATEWAY_RATELIMITKEYPREFIX: `bench:${suffix}:rate:`,
            CATALOG_CACHE_REDISPREFIX: `bench:${suffix}:catalog:`,
          }
        : {}),
    },
  });
  process.env = saved;
  try {
    const services = platform.services();
    const pids = new Map(services.map((s) => [s.name, s.pid]));
    await new Promise((r) => setTimeout(r, 5_000));
    const idle = new Map(services.map((s) => [s.name, rssMiB(s.pid)]));
    const peak = new Map(idle);
    const sampler = setInterval(() => {
      for (const [name, pid] of pids) peak.set(name, Math.max(peak.get(name) ?? 0, rssMiB(pid)));
    }, 200);
    const url = (name: string) => services.find((s) => s.name === name)!.url!;
    const load = await orderLoad(url, suffix, orders, concurrency).finally(() => clearInterval(sampler));
    console.log(
      `order load: ${load.latencies.length} orders in ${load.seconds.toFixed(1)} s, ${load.failed} failed`,
    );
    // deploy/k8s/base/resources.yaml: request = the peak rounded up to 32 MiB, limit = request + 128 MiB.
    console.log(
      '\nservice                  idle RSS MiB   peak RSS MiB under the order load   request Mi   limit Mi',
    );
    for (const s of services) {
      console.log(
        `${s.name.padEnd(24)} ${idle.get(s.name)!.toFixed(0).padStart(12)}   ${peak.get(s.name)!.toFixed(0).padStart(33)}   ${String(Math.ceil(peak.get(s.name)! / 32) * 32).padStart(10)}   ${String(Math.ceil(peak.get(s.name)! / 32) * 32 + 128).padStart(8)}`,
      );
    }
    if (load.failed > 0) process.exitCode = 1;
  } finally {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
