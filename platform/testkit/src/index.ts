import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { Topology } from '@sagamart/contracts';
import {
  type ConfigTree,
  compileRouteSchemas,
  DeploymentCredentials,
  mergeConfig,
  PLATFORM_USER,
  platformPassword,
  SERVICE_TOKEN_HEADER,
  type ServiceFactory,
  type ServiceOptions,
} from '@sagamart/kit';
import pino from 'pino';
import { inject } from 'vitest';
import { testAmqp } from './rabbitmq-objects.ts';
import { uniqueName } from './test-names.ts';

export { EventProbe } from './event-probe.ts';
export { type HeldClosing, startHeldClosing } from './held-closing.ts';
export { holdLocks, lockWaiters, waitForLockWaiters } from './lock-waiters.ts';
export { freePort } from './ports.ts';
export { deleteTestRabbitObjects } from './rabbitmq-objects.ts';
export { type RawHttpAnswer, type RawHttpOptions, rawHttpRequest } from './raw-http.ts';
export { defineEventRecorder, MovableDiscovery, type SeenEvent, transportWith } from './stand-ins.ts';
export { type TcpProxy, tcpProxy } from './tcp-proxy.ts';
export { uniqueName } from './test-names.ts';

/** The PostgreSQL server of this test run (embedded, or real with SAGAMART_TEST_INFRA=1). */
export function pgServerUrl(): string {
  return inject('pgServerUrl');
}

/** Real infrastructure, when this run targets it. */
export const infra = {
  enabled: process.env.SAGAMART_TEST_INFRA === '1',
  amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  /**
   * Whether a real server can be used. A missing server skips its suites locally, but fails them
   * when SAGAMART_REQUIRE_INFRA=1 (CI), so a green CI run always exercised every server.
   */
  available(server: 'rabbitmq' | 'redis'): boolean {
    const up = inject('infraUp')[server];
    if (!up && process.env.SAGAMART_REQUIRE_INFRA === '1') {
      throw new Error(`${server} is required (SAGAMART_REQUIRE_INFRA=1) but does not answer`);
    }
    return up;
  },
  /**
   * AMQP settings (`amqp` config) of a test's own: a fresh prefix. Every queue and exchange declared
   * under it is deleted when the test file ends (rabbitmq-teardown.ts): what this process declared,
   * and what `topology` makes, for services the test starts as processes of their own.
   */
  amqp(topology?: Topology): { url: string; prefix: string } {
    return testAmqp(infra.amqpUrl, topology);
  },
};

export const testLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/**
 * Config for a service under test: fresh databases (its own and the bus), no config server,
 * static discovery unless given, free port, loopback only.
 */
export function testConfig(overrides: ConfigTree = {}): ConfigTree {
  const base: ConfigTree = {
    server: { host: '127.0.0.1', port: 0 },
    config: { server: { url: '' } },
    database: { url: pgServerUrl(), name: uniqueName('t_db') },
    bus: { database: uniqueName('t_bus'), pollMs: 500 },
    discovery: { mode: 'static' },
    log: { level: process.env.TEST_LOG_LEVEL ?? 'silent' },
    security: { deploymentSecret: TEST_DEPLOYMENT_SECRET },
  };
  return mergeConfig(base, overrides);
}

/** Starts a service for a test with isolated config; remember to stop it. */
export async function startTestService<DB>(factory: ServiceFactory<DB>, options: ServiceOptions = {}) {
  const service = factory({ env: {}, log: testLog, ...options, config: testConfig(options.config ?? {}) });
  await service.start();
  // Fastify compiles a route's schemas at its first request (the kit's lazy-schemas.ts): compiled
  // here, every schema of a service under test still fails that test when it cannot compile.
  compileRouteSchemas(service.app);
  return service;
}

/** Polls until fn returns a truthy value or the time runs out. */
export async function eventually<T>(
  fn: () => Promise<T> | T,
  timeoutMs = 10_000,
  everyMs = 25,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
      last = new Error('condition still false');
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw last;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The deployment secret of every service a test starts with startTestService. */
export const TEST_DEPLOYMENT_SECRET = 'sagamart-test-deployment-secret';
/** Tests call as this service. */
export const TEST_CALLER = 'testkit';
const testCredentials = new DeploymentCredentials(TEST_CALLER, { current: TEST_DEPLOYMENT_SECRET });
/** Test tokens are good for every service of the repository, for an hour (a test file may hold one). */
const everyService = readdirSync(new URL('../../../services/', import.meta.url));
const TEST_TOKEN_SECONDS = 3_600;

/** The config and discovery servers' Basic credentials in the test deployment. */
export const testPlatformLogin = { user: PLATFORM_USER, password: platformPassword(TEST_DEPLOYMENT_SECRET) };

/** `Authorization` for the config and discovery servers of the test deployment. */
export function asPlatform(): Record<string, string> {
  return { authorization: testCredentials.basicAuthorization() };
}

/** A service credential of the test deployment, as another service would send it (no user). */
export function asService(audience: string | string[] = everyService): Record<string, string> {
  return { [SERVICE_TOKEN_HEADER]: testCredentials.mint(audience, undefined, TEST_TOKEN_SECONDS) };
}

/**
 * A JSON HTTP client for one base URL; answers status, headers and the parsed body. It calls as a
 * service of the test deployment (asService) unless the headers of a call carry their own token,
 * or `{ anonymous: true }` is given.
 */
export function jsonClient(base: string | { url: string }, options: { anonymous?: boolean } = {}) {
  const url = typeof base === 'string' ? base : base.url;
  const credential = options.anonymous ? {} : asService();
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are asserted field by field
  const call = async <T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...credential,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    get: <T = any>(path: string, headers?: Record<string, string>) =>
      call<T>('GET', path, undefined, headers),
    // biome-ignore lint/suspicious/noExplicitAny: see above
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body ?? {}, headers),
    // biome-ignore lint/suspicious/noExplicitAny: see above
    put: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PUT', path, body ?? {}, headers),
    // biome-ignore lint/suspicious/noExplicitAny: see above
    patch: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PATCH', path, body ?? {}, headers),
    // biome-ignore lint/suspicious/noExplicitAny: see above
    delete: <T = any>(path: string, headers?: Record<string, string>) =>
      call<T>('DELETE', path, undefined, headers),
  };
}

export type JsonClient = ReturnType<typeof jsonClient>;

/**
 * A signed-in caller as the gateway passes it on: a service token carrying the verified user, good for
 * every service of the repository (or the given audience, e.g. a service defined in the test).
 */
export function asUser(
  userId: string = randomUUID(),
  role: 'USER' | 'AGENT' | 'ADMIN' = 'USER',
  email = `${userId}@example.test`,
  audience: string | string[] = everyService,
): Record<string, string> {
  return {
    [SERVICE_TOKEN_HEADER]: testCredentials.mint(audience, { userId, email, role }, TEST_TOKEN_SECONDS),
  };
}

/**
 * Buys `amount` points for a user the only way there is: a points charge at user-service, paid with
 * the PG's approving test card through payment-service's auto-pay (the browser's confirm path), then
 * waits until user-service has credited it. `headers` identify the user to user-service.
 */
export async function buyPoints(
  services: { user: JsonClient; payment: JsonClient },
  headers: Record<string, string>,
  amount: number,
): Promise<void> {
  const charge = await services.user.post('/api/users/me/points/charges', { amount }, headers);
  if (charge.status !== 201) throw new Error(`charge: ${charge.status} ${JSON.stringify(charge.body)}`);
  const chargeNumber = charge.body.chargeNumber as string;
  // Auto-pay is idempotent per charge: a busy machine's PG timeout (5xx) is asked again, and a PENDING
  // answer (the PG answered late) is settled by payment-service's reconciler.
  const paid = await eventually(
    async () => {
      const answer = await services.payment.post('/internal/payments/auto-pay', {
        orderNumber: chargeNumber,
      });
      return answer.status < 500 ? answer : undefined;
    },
    30_000,
    200,
  );
  // 409: an earlier attempt, cut off by the timeout, holds the charge's payment already.
  const settling = paid.status === 409 || ['APPROVED', 'PENDING'].includes(paid.body.status);
  if (!settling) throw new Error(`auto-pay: ${paid.status} ${JSON.stringify(paid.body)}`);
  await eventually(
    async () =>
      (await services.user.get(`/api/users/me/points/charges/${chargeNumber}`, headers)).body?.status ===
      'PAID',
    30_000,
  );
}

/** A service's /metrics exposition, scraped as Prometheus does (the test deployment's Basic login). */
export async function scrapeMetrics(service: string | { url: string }): Promise<string> {
  const url = typeof service === 'string' ? service : service.url;
  const res = await fetch(`${url}/metrics`, { headers: asPlatform() });
  if (res.status !== 200) throw new Error(`GET ${url}/metrics: ${res.status} ${await res.text()}`);
  return res.text();
}

/** The value of a Prometheus sample whose labels include the given ones (undefined when absent). */
export function metricValue(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/**
 * Deliveries of one event a service's consumer has finished with, from its /metrics: applied ('ok')
 * and dropped by the inbox ('duplicate') by default. The signal that a message was processed, so a
 * test can assert what did NOT happen without sleeping.
 */
export async function eventsHandled(
  service: string | { url: string },
  event: string,
  results: readonly string[] = ['ok', 'duplicate'],
): Promise<number> {
  const text = await scrapeMetrics(service);
  return results.reduce(
    (sum, result) => sum + (metricValue(text, 'events_consumed_total', { event, result }) ?? 0),
    0,
  );
}
