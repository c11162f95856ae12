/**
 * Catalog bench: 10,000 products (plus the demo seed), then search and product-detail requests per
 * second and p99 latency through the gateway and directly against catalog-service, in the same run.
 *
 * Each service runs in its own process (bench/services-process.ts) on one PostgreSQL (embedded, or
 * DATABASE_URL), with static discovery. Products are bulk-inserted through product-service's own
 * loader (same rules, no events) and the catalog is then rebuilt from product-service's full-sync API.
 * The gateway's rate limit is lifted for the run: the bench measures routing cost, not the limiter.
 *
 * Each measured run also prints the CPU it cost per request (process CPU time from /proc): catalog-service,
 * the gateway when it is in the path, and PostgreSQL (the embedded server; on DATABASE_URL only the
 * backends of the catalog's database). Unlike req/s, these hold on a busy machine.
 *
 * Knobs: BENCH_PRODUCTS (10000), BENCH_REQUESTS per run (3000), BENCH_CONCURRENCY (32),
 * BENCH_KEEP_DATABASES=1 to keep the bench databases on DATABASE_URL for a look with EXPLAIN, and
 * BENCH_SCENARIOS=detail (or search) to run one scenario, so that a BENCH_CPU_PROF_DIR profile
 * (support.ts) holds only its requests.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConfigTree, databaseUrl, mergeConfig, openDatabase } from '@sagamart/kit';
import { startEmbeddedPostgres } from '@sagamart/launcher/embedded-postgres';
import pg from 'pg';
import { Pool } from 'undici';
import { type BulkProduct, bulkLoadProducts, type ProductDb } from '../services/product-service/src/index.ts';
import { cpuMs, postgresServerCpuMs, postmasterBelow, sampleBackendCpu } from './proc.ts';
import {
  type Child,
  freePort,
  json,
  random,
  servicePath,
  signedIn,
  startService,
  stopService,
} from './support.ts';

const ADMIN_HEADERS = signedIn('00000000-0000-4000-8000-00000000be0c', 'ADMIN', 'bench@sagamart.dev');

interface RunResult {
  scenario: string;
  target: 'direct' | 'gateway';
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  /** CPU ms per request: the services in the path, then PostgreSQL. */
  cpu: Array<[string, number]>;
}

interface CategoryNode {
  id: number;
  name: string;
  children: CategoryNode[];
}

const leavesOf = (nodes: CategoryNode[]): CategoryNode[] =>
  nodes.flatMap((n) => (n.children.length ? leavesOf(n.children) : [n]));

const ADJECTIVES = [
  '오버핏',
  '베이직',
  '빈티지',
  '데일리',
  '슬림',
  '와이드',
  '헤비웨이트',
  '라이트',
  '클래식',
  '모던',
  '릴렉스',
  '크롭',
];
const DETAILS = [
  '크루넥',
  '브이넥',
  '하이넥',
  '로고',
  '스트라이프',
  '워싱',
  '기모',
  '린넨',
  '코듀로이',
  '나일론',
];
const ITEMS = [
  '맨투맨',
  '후드티',
  '청바지',
  '티셔츠',
  '셔츠',
  '니트',
  '코트',
  '패딩',
  '슬랙스',
  '스커트',
  '원피스',
  '스니커즈',
  '백팩',
  '볼캡',
];
const COLOURS = ['블랙', '화이트', '네이비', '그레이', '베이지'];
const SIZES = ['S', 'M', 'L'];

function benchProducts(count: number, leaves: number[]): BulkProduct[] {
  const next = random(42);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const name = `${pick(ADJECTIVES)} ${pick(DETAILS)} ${pick(ITEMS)} ${i + 1}`;
    const basePrice = 10_000 + Math.floor(next() * 190) * 1_000;
    const salePrice = next() < 0.4 ? Math.round((basePrice * 0.8) / 100) * 100 : basePrice;
    const colours = [pick(COLOURS), pick(COLOURS), pick(COLOURS)].filter((c, k, all) => all.indexOf(c) === k);
    const code = `BENCH-${i + 1}`;
    return {
      code,
      name,
      description: `<p>${name}: 매일 입기 좋은 ${pick(DETAILS)} 디테일의 상품입니다.</p><ul><li>${pick(ADJECTIVES)} 실루엣</li><li>사계절 착용</li></ul>`,
      basePrice,
      salePrice,
      categoryIds: [pick(leaves)],
      optionGroups: [
        { name: '색상', values: colours },
        { name: '사이즈', values: SIZES },
      ],
      skus: colours.flatMap((colour, c) =>
        SIZES.map((size) => ({
          skuCode: `${code}-${c}-${size}`,
          options: { 색상: colour, 사이즈: size },
          price: salePrice,
          stock: next() < 0.1 ? 0 : Math.floor(next() * 50),
        })),
      ),
    };
  });
}

/** `requests` GETs over `concurrency` keep-alive connections; latency per request, rps over the whole run. */
async function measure(
  scenario: string,
  target: RunResult['target'],
  origin: string,
  pathOf: (i: number) => string,
  requests: number,
  concurrency: number,
): Promise<RunResult> {
  const pool = new Pool(origin, { connections: concurrency, keepAliveTimeout: 30_000 });
  const latencies = new Float64Array(requests);
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= requests) return;
        const t = performance.now();
        try {
          const res = await pool.request({ path: pathOf(i), method: 'GET' });
          await res.body.text();
          if (res.statusCode !== 200) errors++;
        } catch {
          errors++;
        }
        latencies[i] = performance.now() - t;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort();
  const at = (q: number) => latencies[Math.min(requests - 1, Math.floor(q * requests))]!;
  return {
    scenario,
    target,
    requests,
    errors,
    rps: requests / seconds,
    p50: at(0.5),
    p99: at(0.99),
    cpu: [],
  };
}

/** Runs `run` and adds the CPU each process (and PostgreSQL) spent during it, per request. */
async function withCpu(
  processes: Array<[string, number | undefined]>,
  postgres: () => { stop(): Promise<number> },
  run: () => Promise<RunResult>,
): Promise<RunResult> {
  const before = processes.map(([, pid]) => cpuMs(pid));
  const database = postgres();
  const result = await run();
  const postgresMs = await database.stop();
  const per = (ms: number) => ms / result.requests;
  result.cpu = [
    ...processes.map(([name, pid], i): [string, number] => [name, per(cpuMs(pid) - before[i]!)]),
    ['PostgreSQL', per(postgresMs)],
  ];
  return result;
}

export async function runCatalogBench(): Promise<void> {
  const productCount = Number(process.env.BENCH_PRODUCTS ?? 10_000);
  const requests = Number(process.env.BENCH_REQUESTS ?? 3_000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
  const log = (line: string) => console.log(line);
  const started = Date.now();
  const children: Child[] = [];
  let stopPostgres: (() => Promise<void>) | undefined;
  let admin: pg.Client | undefined;
  let serverUrl = process.env.DATABASE_URL;
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const names = {
    product: `bench_product_${suffix}`,
    catalog: `bench_catalog_${suffix}`,
    bus: `bench_bus_${suffix}`,
  };

  try {
    if (!serverUrl) {
      const dir = await mkdtemp(join(tmpdir(), 'sagamart-bench-pg-'));
      const server = await startEmbeddedPostgres({ dir, port: await freePort(), ephemeral: true });
      stopPostgres = () => server.stop();
      serverUrl = server.url;
      log('PostgreSQL: embedded (temporary)');
    } else {
      log('PostgreSQL: DATABASE_URL (bench databases are dropped afterwards)');
    }

    const base = (database: string): ConfigTree => ({
      config: { server: { url: '' } },
      server: { host: '127.0.0.1', port: 0 },
      database: { url: serverUrl!, name: database },
      bus: { database: names.bus },
      discovery: { mode: 'static' },
      log: { level: 'warn' },
    });
    const product = await startService(
      'product-service',
      mergeConfig(base(names.product), { product: { seed: { enabled: true } } }),
    );
    children.push(product);
    const catalog = await startService(
      'catalog-service',
      mergeConfig(base(names.catalog), { discovery: { static: { 'product-service': product.url } } }),
    );
    children.push(catalog);
    let gateway: Child | undefined;
    if (existsSync(servicePath('gateway'))) {
      gateway = await startService('gateway', {
        config: { server: { url: '' } },
        server: { host: '127.0.0.1', port: 0 },
        // On the services' bus, as `npm start` runs it: broadcasts (the catalog's generation) reach it.
        database: { url: serverUrl! },
        bus: { database: names.bus },
        discovery: {
          mode: 'static',
          static: { 'catalog-service': catalog.url, 'product-service': product.url },
        },
        gateway: { rateLimits: { default: { capacity: 1_000_000_000, refillPerSecond: 1_000_000_000 } } },
        log: { level: 'warn' },
      });
      children.push(gateway);
    } else {
      log('gateway: services/gateway is not there yet; measuring catalog-service directly only');
    }

    // Data: the demo seed's categories, then BENCH_PRODUCTS products bulk-loaded into their leaves.
    const tree = await json<CategoryNode[]>(`${product.url}/api/admin/categories`, {
      headers: ADMIN_HEADERS,
    });
    const leaves = leavesOf(tree).map((c) => c.id);
    const loadStarted = Date.now();
    const database = openDatabase<ProductDb>(databaseUrl(serverUrl, names.product), { max: 2 });
    const ids: number[] = [];
    try {
      const all = benchProducts(productCount, leaves);
      for (let i = 0; i < all.length; i += 2_000)
        ids.push(...(await bulkLoadProducts(database.db, all.slice(i, i + 2_000))));
    } finally {
      await database.close();
    }
    log(
      `loaded ${ids.length.toLocaleString()} products (${(ids.length * 9).toLocaleString()}-ish SKUs) in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`,
    );

    const rebuildStarted = Date.now();
    const run = await json<{ id: string }>(`${catalog.url}/api/admin/catalog/rebuild`, {
      method: 'POST',
      headers: ADMIN_HEADERS,
    });
    for (;;) {
      const status = await json<{ id: string; state: string; products: number; error: string | null }>(
        `${catalog.url}/api/admin/catalog/rebuild`,
        {
          headers: ADMIN_HEADERS,
        },
      );
      if (status.id === run.id && status.state === 'SUCCEEDED') {
        log(
          `catalog rebuilt from product-service: ${status.products.toLocaleString()} products in ${((Date.now() - rebuildStarted) / 1000).toFixed(1)} s`,
        );
        break;
      }
      if (status.id === run.id && status.state === 'FAILED')
        throw new Error(`rebuild failed: ${status.error}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const visible = await json<{ totalElements: number }>(`${catalog.url}/api/catalog/products?size=1`);
    log(`catalog shows ${visible.totalElements.toLocaleString()} products`);

    const searches = [
      'q=맨투맨',
      'q=후드티&sort=price_asc',
      'q=오버핏 크루넥',
      'q=청바',
      'q=스니커즈&inStock=true',
      `categoryId=${tree[0]!.id}`,
      `categoryId=${tree[2]!.id}&sort=popular`,
      'minPrice=30000&maxPrice=60000&sort=price_desc',
      'sort=latest',
      'sort=latest&page=3',
      'q=니트&page=1',
      'q=베이직 티셔츠&sort=latest',
    ].map((query) => `/api/catalog/products?${encodeURI(query)}`);
    const pick = random(7);
    const detailIds = Array.from({ length: requests }, () => ids[Math.floor(pick() * ids.length)]!);
    const only = process.env.BENCH_SCENARIOS?.split(',');
    const scenarios = [
      { name: 'search', path: (i: number) => searches[i % searches.length]! },
      { name: 'detail', path: (i: number) => `/api/catalog/products/${detailIds[i]}` },
    ].filter((scenario) => !only || only.includes(scenario.name));
    const targets: Array<[RunResult['target'], string]> = [['direct', catalog.url]];
    if (gateway) targets.push(['gateway', gateway.url]);
    const inPath = (target: RunResult['target']): Array<[string, number | undefined]> => [
      ['catalog-service', catalog.process.pid],
      ...(target === 'gateway' && gateway
        ? [['gateway', gateway.process.pid] as [string, number | undefined]]
        : []),
    ];
    // The embedded server is ours alone; a shared one's CPU is counted for the catalog's backends.
    const postmaster = stopPostgres ? postmasterBelow(process.pid) : undefined;
    if (!postmaster) {
      admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
    }
    const postgresCpu = () => {
      if (postmaster) {
        const start = postgresServerCpuMs(postmaster);
        return { stop: async () => postgresServerCpuMs(postmaster) - start };
      }
      return sampleBackendCpu(admin!, [names.catalog]);
    };

    const results: RunResult[] = [];
    for (const scenario of scenarios) {
      // Warm-up (not measured): the whole request sequence once, so both measured runs meet the same
      // warm detail cache and database buffers; then through the gateway too, for its connections and
      // its response cache (ADR 0009), which the measured run then meets as warm as the catalog's.
      await measure(scenario.name, 'direct', catalog.url, scenario.path, requests, concurrency);
      if (gateway) await measure(scenario.name, 'gateway', gateway.url, scenario.path, requests, concurrency);
      for (const [target, origin] of targets) {
        results.push(
          await withCpu(inPath(target), postgresCpu, () =>
            measure(scenario.name, target, origin, scenario.path, requests, concurrency),
          ),
        );
      }
    }

    log('');
    log(
      `catalog bench: ${visible.totalElements.toLocaleString()} products, ${requests.toLocaleString()} requests per run, ${concurrency} connections`,
    );
    log('scenario  target    req/s     p50 ms   p99 ms   errors');
    for (const r of results) {
      log(
        `${r.scenario.padEnd(9)} ${r.target.padEnd(8)} ${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(1).padStart(9)} ${r.p99.toFixed(1).padStart(8)} ${String(r.errors).padStart(8)}`,
      );
    }
    log('');
    log('CPU ms per request (process CPU time; robust on a busy machine)');
    for (const r of results) {
      log(
        `${r.scenario.padEnd(9)} ${r.target.padEnd(8)} ${r.cpu.map(([name, ms]) => `${name} ${ms.toFixed(3)}`).join(', ')}`,
      );
    }
    if (gateway) {
      log('');
      for (const scenario of scenarios) {
        const direct = results.find((r) => r.scenario === scenario.name && r.target === 'direct')!;
        const via = results.find((r) => r.scenario === scenario.name && r.target === 'gateway')!;
        log(
          `${scenario.name}: through the gateway ${(via.rps / direct.rps).toFixed(2)}× the direct throughput, p99 ${(via.p99 / direct.p99).toFixed(2)}× the direct p99`,
        );
      }
    }
    const failed = results.filter((r) => r.errors > 0);
    if (failed.length) {
      process.exitCode = 1;
      log(`\nerrors in: ${failed.map((r) => `${r.scenario}/${r.target}`).join(', ')}`);
    }
    log(`\ndone in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await admin?.end().catch(() => {});
    for (const child of children.reverse()) await stopService(child).catch(() => {});
    if (stopPostgres) {
      await stopPostgres().catch(() => {});
    } else if (serverUrl && process.env.BENCH_KEEP_DATABASES === '1') {
      log(`kept databases: ${Object.values(names).join(', ')}`);
    } else if (serverUrl) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      for (const name of Object.values(names))
        await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    }
  }
}
