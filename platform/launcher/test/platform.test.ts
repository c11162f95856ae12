import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeploymentCredentials } from '@sagamart/kit';
import { eventually, freePort } from '@sagamart/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../src/index.ts';

// The whole platform as `npm start` runs it: embedded PostgreSQL and one process per service,
// shifted by a port offset so it can run beside a developer's own `npm start`.
describe('launcher: the whole platform, one process per service', () => {
  let platform: Platform;
  let dataDir: string;
  let postgresPort: number;
  const leaseMs = 3_000;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sagamart-launcher-'));
    // A stand-in for the built web app, so the gateway serves pages.
    await writeFile(join(dataDir, 'index.html'), '<!doctype html><head></head><div id="root"></div>');
    postgresPort = await freePort();
    platform = await startPlatform({
      dataDir,
      quiet: true,
      postgresPort,
      portOffset: Number(process.env.SAGAMART_PLATFORM_TEST_PORT_OFFSET ?? 20_000),
      env: {
        LOG_LEVEL: 'warn',
        DISCOVERY_LEASEMS: String(leaseMs),
        DISCOVERY_HEARTBEATMS: '1000',
        DISCOVERY_FETCHMS: '1000',
        REGISTRY_EVICTIONINTERVALMS: '250',
        GATEWAY_BREAKER_HALFOPENAFTERMS: '1000',
        GATEWAY_WEBROOT: dataDir,
      },
    });
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    // The platform's PostgreSQL cluster alone is about 200 MB.
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('brings every service up behind the gateway', async () => {
    expect((await fetch(`${platform.gatewayUrl}/health/ready`)).status).toBe(200);
    const asPlatform = { headers: { authorization: platform.platformAuthorization } };
    const registry = (await (
      await fetch(`${platform.discoveryUrl}/api/registry/apps`, asPlatform)
    ).json()) as {
      applications: Array<{ name: string; instances: Array<{ status: string }> }>;
    };
    const names = registry.applications.map((a) => a.name);
    for (const s of platform.services().filter((s) => s.name !== 'discovery-server')) {
      expect(names).toContain(s.name);
    }
    for (const s of platform.services()) {
      expect(s.pid).toBeGreaterThan(0);
      expect(s.pid).not.toBe(process.pid);
    }
  });

  it("reaches the embedded PostgreSQL over its Unix socket, and leaves TCP on 127.0.0.1 for people's tools", async () => {
    const tools = new pg.Client({
      connectionString: `postgres://postgres:postgres@127.0.0.1:${postgresPort}/postgres`,
    });
    await tools.connect();
    try {
      const { rows } = await tools.query<{ datname: string; over: string }>(
        `select datname, coalesce(host(client_addr), 'unix socket') as over from pg_stat_activity
          where backend_type = 'client backend' and pid <> pg_backend_pid() and datname is not null`,
      );
      // Every service's pool and listener: none of them over TCP.
      expect(new Set(rows.map((r) => r.datname))).toContain('sagamart_bus');
      expect(rows.length).toBeGreaterThan(10);
      expect(rows.filter((r) => r.over !== 'unix socket')).toEqual([]);
    } finally {
      await tools.end();
    }
  });

  it('runs the supporting servers in one shared process, every other service in its own, each logging to its own file', async () => {
    const support = ['config-server', 'discovery-server', 'trace-server', 'mock-courier', 'mock-pg'];
    const services = platform.services();
    const hostPids = new Set(services.filter((s) => support.includes(s.name)).map((s) => s.pid));
    expect(hostPids.size).toBe(1);
    const others = services.filter((s) => !support.includes(s.name));
    expect(others.length).toBeGreaterThan(5);
    expect(new Set([...others.map((s) => s.pid), ...hostPids]).size).toBe(others.length + 1);
    // Each hosted service's lines go to its own file (the launcher routes them by pino's name).
    let lines = 0;
    for (const name of support) {
      const log = await readFile(join(dataDir, 'logs', `${name}.log`), 'utf8');
      for (const line of log.split('\n').filter((l) => l.startsWith('{'))) {
        expect((JSON.parse(line) as { name?: string }).name).toBe(name);
        lines++;
      }
    }
    expect(lines).toBeGreaterThan(0);
  });

  it('tells the web app where the mock PG is, moved by the port offset with everything else', async () => {
    const pg = platform.services().find((s) => s.name === 'mock-pg')!;
    expect(pg.port).toBe(9083 + Number(process.env.SAGAMART_PLATFORM_TEST_PORT_OFFSET ?? 20_000));
    const page = await (
      await fetch(`${platform.gatewayUrl}/orders/1`, { headers: { accept: 'text/html' } })
    ).text();
    expect(page).toContain(`<meta name="sagamart:pg-port" content="${pg.port}">`);
    expect((await fetch(`http://127.0.0.1:${pg.port}/health/ready`)).status).toBe(200);
  });

  it('traces an order across the services, and its payment through the PG and the events, in the trace-server', async () => {
    const gateway = platform.gatewayUrl;
    const call = async (
      method: string,
      url: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(url, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      // biome-ignore lint/suspicious/noExplicitAny: asserted field by field
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as any };
    };
    const login = async (email: string, password: string) =>
      eventually(async () => {
        const res = await call('POST', `${gateway}/api/auth/login`, {
          email,
          password,
          tokenDelivery: 'body',
        });
        return res.status === 200 ? { authorization: `Bearer ${res.body.accessToken}` } : undefined;
      });
    const email = `trace-${randomUUID().slice(0, 8)}@example.test`;
    const password = 'Trace!mart2024';
    const signup = { email, password, passwordConfirm: password, name: '추적 고객', phone: '010-2345-6789' };
    expect((await call('POST', `${gateway}/api/users/signup`, signup)).status).toBe(201);
    const shopper = await login(email, password);
    const admin = await login(platform.adminEmail, platform.adminPassword);
    const url = (name: string) => platform.services().find((s) => s.name === name)!.url!;
    const asPayment = {
      'x-service-token': new DeploymentCredentials('testkit', {
        current: platform.login.deploymentSecret,
      }).mint('payment-service'),
    };
    const autoPay = (orderNumber: string) =>
      call('POST', `${url('payment-service')}/internal/payments/auto-pay`, { orderNumber }, asPayment);

    // Points to pay with, so the placement reaches user-service too.
    const charge = await call('POST', `${gateway}/api/users/me/points/charges`, { amount: 1_000 }, shopper);
    expect(charge.status).toBe(201);
    expect((await autoPay(charge.body.chargeNumber)).body.status).toBe('APPROVED');
    await eventually(
      async () =>
        (
          await call(
            'GET',
            `${gateway}/api/users/me/points/charges/${charge.body.chargeNumber}`,
            undefined,
            shopper,
          )
        ).body.status === 'PAID',
    );

    const products = await call('GET', `${gateway}/api/catalog/products?size=20`);
    const sku = await eventually(async () => {
      for (const card of products.body.content) {
        const detail = await call('GET', `${gateway}/api/catalog/products/${card.id}`);
        const inStock = detail.body.skus?.find((s: { stock: number }) => s.stock > 0);
        if (inStock) return inStock as { id: number };
      }
      return undefined;
    });
    // A client retries a 503 (an instance not yet discovered) with the same Idempotency-Key.
    const idempotencyKey = randomUUID();
    const placed = await eventually(
      async () => {
        const res = await call(
          'POST',
          `${gateway}/api/orders`,
          {
            items: [{ skuId: sku.id, quantity: 1 }],
            pointsToUse: 500,
            delivery: {
              receiverName: '추적 고객',
              receiverPhone: '010-2345-6789',
              zipcode: '06236',
              address: '서울 강남구 테헤란로 1',
            },
          },
          { ...shopper, 'idempotency-key': idempotencyKey },
        );
        return res.status === 503 ? undefined : res;
      },
      30_000,
      1_000,
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const placeTrace = placed.headers.get('x-trace-id')!;
    expect(placeTrace).toMatch(/^[0-9a-f]{32}$/);
    const paid = await autoPay(placed.body.orderNumber);
    expect(paid.body.status).toBe('APPROVED');
    await eventually(
      async () =>
        (await call('GET', `${gateway}/api/orders/${placed.body.orderId}`, undefined, shopper)).body
          .status === 'PAID',
    );

    // The admin reads traces through the gateway; a shopper may not.
    const zipkin = `${gateway}/api/admin/zipkin/api/v2`;
    expect((await call('GET', `${zipkin}/services`, undefined, shopper)).status).toBe(403);
    const servicesOf = async (traceId: string) => {
      const trace = await call('GET', `${zipkin}/trace/${traceId}`, undefined, admin);
      return trace.status === 200
        ? new Set(
            (trace.body as Array<{ localEndpoint?: { serviceName?: string } }>).map(
              (s) => s.localEndpoint?.serviceName,
            ),
          )
        : new Set<string | undefined>();
    };
    await eventually(
      async () => {
        const seen = await servicesOf(placeTrace);
        return ['gateway', 'order-service', 'product-service', 'promotion-service', 'user-service'].every(
          (s) => seen.has(s),
        );
      },
      30_000,
      500,
    );
    const spans = (await call('GET', `${zipkin}/trace/${placeTrace}`, undefined, admin)).body as Array<{
      name: string;
    }>;
    expect(spans.map((s) => s.name)).toEqual(
      expect.arrayContaining(['saga stock reserve', 'saga points reserve']),
    );

    // The payment: payment-service, the PG, and the order.paid hop to its consumers, in one trace.
    const log = (await call('GET', `${gateway}/api/admin/orders/${placed.body.orderId}`, undefined, admin))
      .body.saga.log;
    const payTrace = log.find((l: { step: string }) => l.step === 'payment').traceId as string;
    await eventually(
      async () => {
        const seen = await servicesOf(payTrace);
        return ['payment-service', 'mock-pg', 'order-service', 'notification-service'].every((s) =>
          seen.has(s),
        );
      },
      30_000,
      500,
    );
    const links = (await call('GET', `${zipkin}/dependencies`, undefined, admin)).body as Array<{
      parent: string;
      child: string;
    }>;
    expect(links).toEqual(
      expect.arrayContaining([expect.objectContaining({ parent: 'gateway', child: 'order-service' })]),
    );
  }, 120_000);

  it('keeps the generated deployment credentials in the data folder, readable by the owner only', async () => {
    const { readFile, stat } = await import('node:fs/promises');
    const file = join(dataDir, 'credentials.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(platform.login);
    expect((await stat(file)).mode & 0o077).toBe(0);
  });

  it("creates the chat console's demo agent, for npm start only, and names its login", async () => {
    expect(platform.agentLogin).toEqual({ email: 'agent@sagamart.dev', password: 'Agent123!' });
    // user-service is ready only once its bootstrap accounts exist, and startPlatform waits for that.
    const login = await eventually(async () => {
      const res = await fetch(`${platform.gatewayUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...platform.agentLogin, tokenDelivery: 'body' }),
      });
      return res.status === 200 ? ((await res.json()) as { accessToken: string }) : undefined;
    });
    const claims = JSON.parse(Buffer.from(login.accessToken.split('.')[1]!, 'base64url').toString());
    expect(claims.role).toBe('AGENT');
  });

  it('serves Spring-shaped configuration', async () => {
    expect((await fetch(`${platform.configUrl}/gateway/default`)).status).toBe(401);
    const env = (await (
      await fetch(`${platform.configUrl}/gateway/default`, {
        headers: { authorization: platform.platformAuthorization },
      })
    ).json()) as {
      name: string;
      profiles: string[];
      propertySources: Array<{ name: string; source: Record<string, unknown> }>;
    };
    expect(env.name).toBe('gateway');
    expect(env.profiles).toEqual(['default']);
    expect(env.propertySources.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('gateway.yml'),
        expect.stringContaining('application.yml'),
      ]),
    );
    expect(Object.keys(env.propertySources[0]!.source)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^gateway\./)]),
    );
  });

  it('drops a killed service, answers 503 for its routes, and recovers when it is back', async () => {
    const victim = 'auth-service';
    const route = `${platform.gatewayUrl}/api/auth/.well-known/jwks.json`;
    expect((await fetch(route)).status).toBe(200);

    platform.process(victim)!.child.kill('SIGKILL');

    const unavailable = await eventually(async () => {
      const res = await fetch(route);
      return res.status === 503 ? res : undefined;
    });
    expect(unavailable.headers.get('content-type')).toContain('application/problem+json');
    expect(((await unavailable.json()) as { detail: string }).detail).toContain(victim);

    // The registry evicts the silent instance within its lease (plus the eviction sweep).
    await eventually(async () => {
      const res = await fetch(`${platform.discoveryUrl}/api/registry/apps`, {
        headers: { authorization: platform.platformAuthorization },
      });
      const body = (await res.json()) as { applications: Array<{ name: string; instances: unknown[] }> };
      return !body.applications.some((a) => a.name === victim && a.instances.length > 0);
    }, leaseMs + 5_000);

    await platform.restart(victim);
    await eventually(async () => (await fetch(route)).status === 200, 15_000);
  }, 60_000);
});
