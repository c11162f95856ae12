/**
 * Order bench: orders per second end to end (POST /api/orders → auto-pay with the approve card → PAID)
 * and the saga's p50/p99 latency, on the embedded default (embedded PostgreSQL + its queue) and on real
 * PostgreSQL + RabbitMQ when they answer; with the PostgreSQL commit rate measured in the same run as
 * the ceiling for commit-bound work.
 *
 * Where the cost is: CPU ms per order of each service process and of PostgreSQL (/proc, all of it
 * and above the process's idle rate), PostgreSQL commits per order in each database, and the embedded
 * server's WAL flushes per order.
 *
 * Each service runs in its own process with static discovery, on ports the OS picks, with the V8
 * flags and the environment `npm start` gives it; the in-process mode runs the same services in one
 * process (as `npm start -- --in-process` does) on the same embedded server, so the two compare in
 * one run. Knobs: BENCH_ORDERS (300), BENCH_ORDER_CONCURRENCY (16), BENCH_ORDER_WARMUP (1000
 * unmeasured orders first), BENCH_ORDER_MODES (embedded,in-process,rabbitmq),
 * BENCH_PG_STATEMENTS=1 (statements per order), BENCH_CPU_PROF_DIR (CPU profiles, support.ts),
 * DATABASE_URL / AMQP_URL for the real-infrastructure run (defaults 127.0.0.1:5432 and :5672;
 * skipped when they do not answer).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConfigTree, databaseUrl, ensureDatabase } from '@sagamart/kit';
import { startEmbeddedPostgres } from '@sagamart/launcher/embedded-postgres';
import pg from 'pg';
import {
  commitsByDatabase,
  costDifference,
  cpuMs,
  postgresCpuByProcess,
  postgresServerCpuMs,
  postmasterBelow,
  sampleBackendCpu,
  wakeups,
  walIo,
} from './proc.ts';
import {
  asService,
  type Child,
  freePort,
  json,
  quantile,
  reachable,
  signedIn,
  startService,
  startServicesTogether,
  stopService,
} from './support.ts';

const ADMIN = signedIn(randomUUID(), 'ADMIN', 'bench@sagamart.dev');
const DELIVERY = {
  receiverName: '김벤치',
  receiverPhone: '010-1234-5678',
  zipcode: '06236',
  address: '서울특별시 강남구 테헤란로 123',
};

interface ModeResult {
  mode: string;
  orders: number;
  failed: number;
  ordersPerSecond: number;
  p50: number;
  p99: number;
  /** p50 of each leg: POST /api/orders (reservations), auto-pay (PG confirm), then until PAID. */
  legs: { place: number; pay: number; settle: number };
  commitsPerSecond: number;
  /**
   * CPU ms per order of each service process, of PostgreSQL, and of this bench (the load generator):
   * [name, all the CPU over the load, the CPU above the process's idle rate].
   */
  cpuMsPerOrder: Array<[string, number, number]>;
  /** Wake-ups (voluntary context switches) per order of each row of `cpuMsPerOrder` that has them. */
  wakeupsPerOrder: Map<string, number>;
  /** PostgreSQL commits per order, in all the run's databases and in each. */
  commitsPerOrder: number;
  commitsPerOrderByDatabase: Array<[string, number]>;
  /** The embedded server's WAL writes and flushes (fsync) per order, where it counts them. */
  walPerOrder: { writes: number; fsyncs: number } | undefined;
  /** The embedded server's CPU ms and wake-ups per order by database (its backends) or background process. */
  postgresCpuMsPerOrder: Array<[string, number, number]>;
}

/** Single-row INSERT commits per second from 8 clients for 3 s: the server's ceiling for our work. */
async function commitRate(serverUrl: string, database: string): Promise<number> {
  await ensureDatabase(serverUrl, database);
  const pool = new pg.Pool({ connectionString: databaseUrl(serverUrl, database), max: 8 });
  await pool.query(
    'create table if not exists bench_commits (id bigserial primary key, at timestamptz default now())',
  );
  let commits = 0;
  const until = Date.now() + 3_000;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < until) {
        await pool.query('insert into bench_commits default values');
        commits++;
      }
    }),
  );
  await pool.end();
  return commits / 3;
}

/** What one order load measured: each order's latency, failures, the wall time, and each leg. */
export interface OrderLoadResult {
  latencies: number[];
  failed: number;
  seconds: number;
  legs: { place: number[]; pay: number[]; settle: number[] };
}

/**
 * The order load: a product with four SKUs, then `orders` orders from `concurrency` shoppers at once,
 * each placed, auto-paid with the approve card and awaited until PAID (after an unmeasured warm-up).
 * `url(name)` is where each service answers (product-service, order-service, payment-service).
 */
export async function orderLoad(
  url: (name: string) => string,
  suffix: string,
  orders: number,
  concurrency: number,
  /** Called after the warm-up, right before the measured orders (to start CPU and commit counters). */
  beforeMeasured?: () => unknown,
): Promise<OrderLoadResult> {
  const category = await json<{ id: number }>(`${url('product-service')}/api/admin/categories`, {
    method: 'POST',
    headers: { ...ADMIN, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `벤치 ${suffix}` }),
  });
  const sizes = ['S', 'M', 'L', 'XL'];
  const product = await json<{ skus: Array<{ id: number }> }>(
    `${url('product-service')}/api/admin/products`,
    {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: '벤치 맨투맨',
        code: `BENCH-${suffix}`.toUpperCase(),
        description: '<p>bench</p>',
        basePrice: 29_000,
        salePrice: 29_000,
        status: 'ACTIVE',
        displayed: true,
        categoryIds: [category.id],
        optionGroups: [{ name: '사이즈', values: sizes }],
        skus: sizes.map((size) => ({
          skuCode: `BENCH-${suffix}-${size}`.toUpperCase(),
          options: { 사이즈: size },
          price: 29_000,
          status: 'ACTIVE',
          initialStock: 1_000_000,
        })),
        imageIds: [],
      }),
    },
  );
  const skuIds = product.skus.map((s) => s.id);

  const legs = { place: [] as number[], pay: [] as number[], settle: [] as number[] };
  const placeAndPay = async (i: number): Promise<number> => {
    const user = signedIn(randomUUID(), 'USER', `b${i}@bench.test`);
    const started = performance.now();
    const placed = await json<{ orderId: string; orderNumber: string; status: string }>(
      `${url('order-service')}/api/orders`,
      {
        method: 'POST',
        headers: { ...user, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          items: [{ skuId: skuIds[i % skuIds.length], quantity: 1 }],
          delivery: DELIVERY,
        }),
      },
    );
    const placedAt = performance.now();
    await json(`${url('payment-service')}/internal/payments/auto-pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asService() },
      body: JSON.stringify({ orderNumber: placed.orderNumber, card: 'approve' }),
    });
    const paidAt = performance.now();
    // What a shopper's payment page can do: a long-polled read that answers once the order leaves
    // the status it last saw (at once when order-service makes it PAID), not a poll loop.
    for (let status = placed.status; ; ) {
      const order = await json<{ status: string }>(
        `${url('order-service')}/api/orders/${placed.orderId}?whileStatus=${status}&waitMs=4000`,
        { headers: user },
      );
      if (order.status === 'PAID') {
        const done = performance.now();
        legs.place.push(placedAt - started);
        legs.pay.push(paidAt - placedAt);
        legs.settle.push(done - paidAt);
        return done - started;
      }
      if (order.status === 'CANCELLED') throw new Error(`order ${placed.orderNumber} was cancelled`);
      status = order.status;
    }
  };

  // Warm-up (not measured): connections, caches, and V8's optimised code, which takes about a
  // thousand orders to settle: 300 orders measured after 200 of warm-up ran 12–24 % slower than
  // after 1,000 (docs/performance.md, changes 27 and 31).
  const warmup = Number(process.env.BENCH_ORDER_WARMUP ?? 1000);
  let warmed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (warmed < Math.max(warmup, concurrency)) await placeAndPay(warmed++).catch(() => 0);
    }),
  );
  for (const leg of Object.values(legs)) leg.length = 0;
  await beforeMeasured?.();

  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= orders) return;
        try {
          latencies.push(await placeAndPay(i));
        } catch (error) {
          // The first few reasons, so a failed run says why.
          if (++failed <= 3) console.error(`order ${i} failed: ${(error as Error).message.slice(0, 300)}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { latencies, failed, seconds, legs };
}

/**
 * Counters for the measured orders: each service process's CPU, PostgreSQL's CPU (the whole embedded
 * server, or only the backends of the run's databases on a shared server) and the run's commits.
 */
async function startCounters(
  children: Child[],
  admin: pg.Client,
  databases: string[],
  postmaster: number | undefined,
) {
  if (statementCounts && postmaster) {
    await admin.query('create extension if not exists pg_stat_statements');
    await admin.query('select pg_stat_statements_reset()');
  }
  // Services that share a process (the in-process mode) are one row.
  const byPid = new Map<number | undefined, Child[]>();
  for (const c of children) byPid.set(c.process.pid, [...(byPid.get(c.process.pid) ?? []), c]);
  const pids = [...byPid].map(
    ([pid, shared]) =>
      [shared.length > 1 ? `${shared.length} services in one process` : shared[0]!.name, pid] as const,
  );
  const cpuBefore = new Map(pids.map(([name, pid]) => [name, cpuMs(pid)]));
  const wakeupsBefore = new Map(pids.map(([name, pid]) => [name, wakeups(pid)]));
  const benchBefore = process.cpuUsage();
  const postgresBefore = postmaster ? postgresServerCpuMs(postmaster) : 0;
  const postgresProcessesBefore = postmaster && (await postgresCpuByProcess(admin, postmaster, shortName));
  const backends = postmaster ? undefined : sampleBackendCpu(admin, databases);
  const commitsBefore = await commitsByDatabase(admin, databases);
  const walBefore = postmaster ? await walIo(admin) : undefined;
  const loadStarted = performance.now();
  return async (orders: number) => {
    const loadMs = performance.now() - loadStarted;
    const cpuAfter = new Map(pids.map(([name, pid]) => [name, cpuMs(pid)]));
    const wakeupsAfter = new Map(pids.map(([name, pid]) => [name, wakeups(pid)]));
    const postgresMs = postmaster ? postgresServerCpuMs(postmaster) - postgresBefore : await backends!.stop();
    const bench = process.cpuUsage(benchBefore);
    const postgresByProcess =
      postmaster && postgresProcessesBefore
        ? costDifference(postgresProcessesBefore, await postgresCpuByProcess(admin, postmaster, shortName))
        : new Map<string, { ms: number; wakeups: number }>();
    if (statementCounts && postmaster) await printStatements(admin, databases, orders);
    // An idle backend reports its counters up to 10 s late (PGSTAT_IDLE_INTERVAL): wait for them,
    // then measure what the platform spends at idle (the transport's polling, timers) over a quiet
    // window, and take that rate off the load's figures: on a loaded machine few orders per second
    // would otherwise carry each second's idle cost.
    const settleMs = 11_000;
    const settledAt = Date.now();
    await new Promise((r) => setTimeout(r, settleMs));
    const commitsAfter = await commitsByDatabase(admin, databases);
    const walAfter = walBefore && (await walIo(admin));
    const idleCpuBefore = new Map(pids.map(([name, pid]) => [name, cpuMs(pid)]));
    const idlePostgresBefore = postmaster ? postgresServerCpuMs(postmaster) : Number.NaN;
    const idleMs = 4_000;
    await new Promise((r) => setTimeout(r, idleMs));
    const commitsIdle = await commitsByDatabase(admin, databases);
    const walIdle = walAfter && (await walIo(admin));
    const idleCpu = new Map(pids.map(([name, pid]) => [name, cpuMs(pid) - idleCpuBefore.get(name)!]));
    const idlePostgres = postmaster ? postgresServerCpuMs(postmaster) - idlePostgresBefore : Number.NaN;
    const waitedMs = Date.now() - settledAt - idleMs;
    const perOrder = (loadCpuMs: number, idleCpuMs: number): [number, number] => [
      loadCpuMs / orders,
      (loadCpuMs - (idleCpuMs / idleMs) * loadMs) / orders,
    ];
    const cpu: Array<[string, number, number]> = pids.map(([name]) => [
      name,
      ...perOrder(cpuAfter.get(name)! - cpuBefore.get(name)!, idleCpu.get(name)!),
    ]);
    cpu.push([
      postmaster ? 'PostgreSQL (whole server)' : "PostgreSQL (the run's backends)",
      ...perOrder(postgresMs, idlePostgres),
    ]);
    cpu.push(['bench (load generator)', (bench.user + bench.system) / 1000 / orders, Number.NaN]);
    const wakeupsPerOrder = new Map(
      pids.map(([name]) => [name, (wakeupsAfter.get(name)! - wakeupsBefore.get(name)!) / orders]),
    );
    // The server's wake-ups: the sum of its processes' (none known on a shared server).
    const postgresWakeups = postmaster
      ? [...postgresByProcess.values()].reduce((sum, p) => sum + p.wakeups, 0)
      : Number.NaN;
    wakeupsPerOrder.set(cpu.at(-2)![0], postgresWakeups / orders);
    // A statistics counter's count per order: what the load added, less its idle rate over the wait
    // for the statistics (read at `after`, and again `idleMs` later at `idle`).
    const loadPerOrder = (before: number, after: number, idle: number) =>
      Math.max(0, after - before - ((idle - after) / idleMs) * waitedMs) / orders;
    const byDatabase: Array<[string, number]> = databases
      .filter((db) => commitsAfter.has(db))
      .map((db) => [
        db,
        loadPerOrder(commitsBefore.get(db) ?? 0, commitsAfter.get(db)!, commitsIdle.get(db) ?? 0),
      ]);
    const walPerOrder = (key: 'writes' | 'fsyncs') =>
      walBefore && walAfter && walIdle
        ? loadPerOrder(walBefore[key], walAfter[key], walIdle[key])
        : Number.NaN;
    return {
      cpuMsPerOrder: cpu,
      wakeupsPerOrder,
      walPerOrder: walBefore ? { writes: walPerOrder('writes'), fsyncs: walPerOrder('fsyncs') } : undefined,
      commitsPerOrder: byDatabase.reduce((sum, [, n]) => sum + n, 0),
      commitsPerOrderByDatabase: byDatabase,
      postgresCpuMsPerOrder: [...postgresByProcess]
        .map(([name, { ms, wakeups }]): [string, number, number] => [name, ms / orders, wakeups / orders])
        .sort((a, b) => b[1] - a[1]),
    };
  };
}

/** BENCH_PG_STATEMENTS=1: the embedded run also prints each statement's calls per order. */
const statementCounts = process.env.BENCH_PG_STATEMENTS === '1';

/** A run's database without the bench's prefix and run suffix: `order_service`. */
const shortName = (database: string) => database.replace(/^bench_/, '').replace(/_[a-z0-9]+$/, '');

/** The statements the measured orders ran (pg_stat_statements), most called first: the round trips. */
async function printStatements(admin: pg.Client, databases: string[], orders: number): Promise<void> {
  const { rows } = await admin.query<{ datname: string; query: string; calls: string; ms: number }>(
    `select d.datname, s.query, s.calls, s.total_exec_time + s.total_plan_time as ms
     from pg_stat_statements s join pg_database d on d.oid = s.dbid
     where d.datname = any($1) order by s.calls desc limit 60`,
    [databases],
  );
  const byDatabase = await admin.query<{ datname: string; calls: string }>(
    `select d.datname, sum(s.calls) as calls from pg_stat_statements s join pg_database d on d.oid = s.dbid
     where d.datname = any($1) group by d.datname order by d.datname`,
    [databases],
  );
  const total = byDatabase.rows.reduce((sum, r) => sum + Number(r.calls), 0);
  const perDatabase = byDatabase.rows
    .map((r) => `${shortName(r.datname)} ${(Number(r.calls) / orders).toFixed(1)}`)
    .join(', ');
  console.log(
    `statements per order: ${(total / orders).toFixed(1)} (${perDatabase}); the most called, with the ` +
      'ms an order they spent in the server (planning and executing, wall time: a lock wait or a WAL flush counts):',
  );
  for (const r of rows)
    console.log(
      `${(Number(r.calls) / orders).toFixed(2).padStart(7)} ${(r.ms / orders).toFixed(2).padStart(6)}  ${shortName(r.datname).padEnd(18)} ${r.query.replace(/\s+/g, ' ').slice(0, 140)}`,
    );
}

async function runMode(
  mode: string,
  serverUrl: string,
  amqpUrl: string | undefined,
  /** The embedded server's postmaster (its whole CPU is the run's); none on a shared server. */
  postmaster: number | undefined,
  /** Every service in one process (`npm start -- --in-process`), not one process each. */
  together = false,
): Promise<ModeResult> {
  const orders = Number(process.env.BENCH_ORDERS ?? 300);
  const concurrency = Number(process.env.BENCH_ORDER_CONCURRENCY ?? 16);
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const databases: string[] = [];
  const children: Child[] = [];
  const config = (service: string, extra: ConfigTree = {}): ConfigTree => {
    const name = `bench_${service.replace(/-/g, '_')}_${suffix}`;
    databases.push(name);
    return {
      config: { server: { url: '' } },
      server: { host: '127.0.0.1', port: 0 },
      database: { url: serverUrl, name },
      bus: { database: `bench_bus_${suffix}` },
      ...(amqpUrl ? { amqp: { url: amqpUrl } } : {}),
      discovery: { mode: 'static', static: Object.fromEntries(children.map((c) => [c.name, c.url])) },
      log: { level: 'warn' },
      ...extra,
    };
  };
  databases.push(`bench_bus_${suffix}`, `bench_commits_${suffix}`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const services: Array<[string, ConfigTree]> = [
      ['mock-pg', {}],
      ['product-service', { product: { seed: { enabled: false } } }],
      ['promotion-service', {}],
      ['payment-service', {}],
      ['order-service', { orders: { placeWaitMs: 5_000 } }],
    ];
    if (together) {
      // The host gives each the static discovery of those started before it.
      children.push(
        ...(await startServicesTogether(
          services.map(([service, extra]) => [service, config(service, extra)]),
        )),
      );
    } else {
      for (const [service, extra] of services)
        children.push({ ...(await startService(service, config(service, extra))), name: service });
    }
    const url = (name: string) => children.find((c) => c.name === name)!.url;

    const runDatabases = databases.filter((db) => !db.startsWith('bench_commits_'));
    let finish: Awaited<ReturnType<typeof startCounters>> | undefined;
    const { latencies, failed, seconds, legs } = await orderLoad(
      url,
      suffix,
      orders,
      concurrency,
      async () => {
        finish = await startCounters(children, admin, runDatabases, postmaster);
      },
    );
    const counted = await finish!(latencies.length + failed);
    latencies.sort((a, b) => a - b);
    const commitsPerSecond = await commitRate(serverUrl, `bench_commits_${suffix}`);
    return {
      ...counted,
      mode,
      orders,
      failed,
      ordersPerSecond: latencies.length / seconds,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      legs: {
        place: quantile(
          legs.place.sort((a, b) => a - b),
          0.5,
        ),
        pay: quantile(
          legs.pay.sort((a, b) => a - b),
          0.5,
        ),
        settle: quantile(
          legs.settle.sort((a, b) => a - b),
          0.5,
        ),
      },
      commitsPerSecond,
    };
  } finally {
    for (const child of children.reverse()) await stopService(child).catch(() => {});
    for (const name of databases)
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end().catch(() => {});
  }
}

export async function runOrderBench(): Promise<void> {
  const log = (line: string) => console.log(line);
  const results: ModeResult[] = [];

  // BENCH_ORDER_MODES=embedded (or in-process, or rabbitmq) runs one mode only, e.g. to profile it.
  const modes = (process.env.BENCH_ORDER_MODES ?? 'embedded,in-process,rabbitmq').split(',');
  const dir = await mkdtemp(join(tmpdir(), 'sagamart-bench-orders-'));
  const embedded = await startEmbeddedPostgres({
    dir,
    port: await freePort(),
    ephemeral: true,
    flags: statementCounts ? ['-c', 'shared_preload_libraries=pg_stat_statements'] : [],
  });
  try {
    const postmaster = postmasterBelow(process.pid);
    if (modes.includes('embedded')) {
      log('embedded default: embedded PostgreSQL, PostgreSQL queue…');
      results.push(await runMode('embedded (PostgreSQL queue)', embedded.url, undefined, postmaster));
    }
    if (modes.includes('in-process')) {
      log('embedded, every service in one process (--in-process)…');
      results.push(await runMode('embedded, one process', embedded.url, undefined, postmaster, true));
    }
  } finally {
    await embedded.stop();
  }

  const realPg = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
  const realAmqp = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  if (!modes.includes('rabbitmq')) {
    log('real infrastructure skipped (BENCH_ORDER_MODES)');
  } else if ((await reachable(realPg)) && (await reachable(realAmqp))) {
    log('real infrastructure: PostgreSQL + RabbitMQ…');
    results.push(await runMode('PostgreSQL + RabbitMQ', realPg, realAmqp, undefined));
  } else {
    log(`real infrastructure skipped: ${realPg} or ${realAmqp} does not answer`);
  }

  log('');
  log(
    'mode                          orders/s   p50 ms   p99 ms   failed   PG commits/s   orders/s per 1k commits/s',
  );
  for (const r of results) {
    log(
      `${r.mode.padEnd(29)} ${r.ordersPerSecond.toFixed(1).padStart(8)} ${r.p50.toFixed(0).padStart(8)} ${r.p99.toFixed(0).padStart(8)} ${String(r.failed).padStart(8)} ${r.commitsPerSecond.toFixed(0).padStart(14)} ${((r.ordersPerSecond / r.commitsPerSecond) * 1000).toFixed(1).padStart(27)}`,
    );
  }
  log('');
  for (const r of results) {
    log(
      `${r.mode}: p50 per leg: place ${r.legs.place.toFixed(0)} ms, pay ${r.legs.pay.toFixed(0)} ms, until PAID ${r.legs.settle.toFixed(0)} ms`,
    );
  }
  for (const r of results) {
    log(
      `\n${r.mode}: CPU ms per order (process CPU time over the measured orders; above idle: less the idle rate)`,
    );
    log(
      `  ${'process'.padEnd(34)} ${'all'.padStart(7)} ${'above idle'.padStart(11)} ${'wake-ups'.padStart(9)}`,
    );
    const figure = (ms: number, width: number) =>
      (ms === undefined || Number.isNaN(ms) ? '-' : ms.toFixed(1)).padStart(width);
    for (const [name, all, aboveIdle] of r.cpuMsPerOrder)
      log(
        `  ${name.padEnd(34)} ${figure(all, 7)} ${figure(aboveIdle, 11)} ${figure(r.wakeupsPerOrder.get(name)!, 9)}`,
      );
    const services = r.cpuMsPerOrder.filter(
      ([name]) => !name.startsWith('bench') && !name.startsWith('PostgreSQL'),
    );
    const sum = (i: 1 | 2) => services.reduce((total, row) => total + row[i], 0);
    const serviceWakeups = services.reduce((total, [name]) => total + (r.wakeupsPerOrder.get(name) ?? 0), 0);
    log(
      `  ${'services together'.padEnd(34)} ${figure(sum(1), 7)} ${figure(sum(2), 11)} ${figure(serviceWakeups, 9)}`,
    );
    if (r.postgresCpuMsPerOrder.length) {
      log(
        `${r.mode}: PostgreSQL's CPU ms and wake-ups per order by database (its backends) or background process`,
      );
      for (const [name, ms, wakeups] of r.postgresCpuMsPerOrder)
        if (ms >= 0.05 || wakeups >= 0.05)
          log(`  ${name.padEnd(34)} ${figure(ms, 7)} ${figure(wakeups, 21)}`);
    }
    // A listening backend reads each NOTIFY of its database in a transaction of its own (PostgreSQL
    // before 19 wakes every listener there): the bus's commits are mostly those (change 31).
    log(
      `${r.mode}: ${r.commitsPerOrder.toFixed(1)} PostgreSQL commits per order ` +
        '(with the transactions in which listening connections read notifications)',
    );
    for (const [db, n] of r.commitsPerOrderByDatabase)
      log(
        `  ${db
          .replace(/^bench_/, '')
          .replace(/_[a-z0-9]+$/, '')
          .padEnd(34)} ${n.toFixed(1).padStart(7)}`,
      );
    // A commit that wrote waits for its WAL's flush, its own or another's: wake-ups (change 35).
    if (r.walPerOrder)
      log(
        `${r.mode}: ${r.walPerOrder.fsyncs.toFixed(1)} WAL flushes (fsync) and ` +
          `${r.walPerOrder.writes.toFixed(1)} WAL writes per order`,
      );
  }
  const [first, ...others] = results;
  if (first && others.length) log('');
  for (const r of others)
    log(
      `${r.mode} vs ${first!.mode}: ${(r.ordersPerSecond / first!.ordersPerSecond).toFixed(2)}× the orders/s, p99 ${(r.p99 / first!.p99).toFixed(2)}×`,
    );
  if (results.some((r) => r.failed > 0)) process.exitCode = 1;
}
