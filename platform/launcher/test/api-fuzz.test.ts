import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@sagamart/testkit';
import { freePort } from '@sagamart/testkit/ports';
import { seededRandom } from '@sagamart/testkit/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../src/index.ts';
import {
  type FuzzRequest,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  requestsFor,
} from './fuzz/fuzz-cases.ts';

// Fuzzes every public operation through the gateway, as an anonymous caller, a user and an admin,
// with the operations read from the OpenAPI documents the services publish (a new service is covered
// as soon as it registers). Every answer must be below 500, and every error a problem+json with a
// trace id. SAGAMART_FUZZ_SEED replays a run; the seed is in every failure.
const SEED = Number(process.env.SAGAMART_FUZZ_SEED ?? 20261204);
const PORT_OFFSET = Number(process.env.SAGAMART_FUZZ_PORT_OFFSET ?? 22_000);
/** Hostile values per field: all of them for the identity that gets furthest, a sample for the others. */
const PER_FIELD = { deep: 5, shallow: 1 };
const CONCURRENCY = 4;

type Who = 'anonymous' | 'user' | 'admin';

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/**
 * Sends the request as given: the target is not normalised (dot segments, bad escapes reach the
 * server). A kept-alive connection the server closed just before it was reused is retried once.
 */
async function send(base: URL, req: FuzzRequest, token: string | undefined): Promise<Answer> {
  try {
    return await sendOnce(base, req, token);
  } catch (error) {
    if ((error as { reusedSocket?: boolean }).reusedSocket) return sendOnce(base, req, token);
    throw error;
  }
}

function sendOnce(base: URL, req: FuzzRequest, token: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.target,
        headers: {
          ...req.headers,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    outgoing.on('error', (error) =>
      reject(
        Object.assign(error, {
          reusedSocket: outgoing.reusedSocket && 'code' in error && error.code === 'ECONNRESET',
        }),
      ),
    );
    outgoing.end(req.body);
  });
}

/** What is wrong with an answer, if anything. */
function verdict(answer: Answer): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status < 400) return undefined;
  if (!answer.contentType.startsWith('application/problem+json'))
    return `error ${answer.status} as ${answer.contentType || 'no content type'}`;
  try {
    const problem = JSON.parse(answer.body) as { status?: unknown; traceId?: unknown; type?: unknown };
    if (problem.status !== answer.status) return `problem status ${problem.status} on a ${answer.status}`;
    if (typeof problem.traceId !== 'string' || !problem.traceId) return 'problem without a traceId';
    if (typeof problem.type !== 'string') return 'problem without a type';
  } catch {
    return `error ${answer.status} with a body that is not JSON`;
  }
  return undefined;
}

describe('API fuzz: every public operation, hostile input, no 5xx, problems only', () => {
  let platform: Platform;
  let dataDir: string;
  const tokens: Record<Who, string | undefined> = { anonymous: undefined, user: undefined, admin: undefined };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sagamart-fuzz-'));
    // Its own embedded PostgreSQL and no broker or Redis: the platform as `npm start` runs it.
    for (const name of ['DATABASE_URL', 'AMQP_URL', 'REDIS_URL']) delete process.env[name];
    platform = await startPlatform({
      inProcess: true,
      dataDir,
      reset: true,
      quiet: true,
      portOffset: PORT_OFFSET,
      postgresPort: await freePort(),
      env: {
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        GATEWAY_WEBROOT: join(dataDir, 'no-web-app'),
        // Input handling is under test, not latency: a busy machine must not turn answers into 503s.
        GATEWAY_DEFAULTTIMEOUTMS: '30000',
        HTTP_CLIENT_TIMEOUTMS: '30000',
        // One caller sends thousands of requests: lift the rate limits (they have their own tests).
        GATEWAY_RATELIMITS_DEFAULT_CAPACITY: '1000000',
        GATEWAY_RATELIMITS_DEFAULT_REFILLPERSECOND: '1000000',
        GATEWAY_RATELIMITS_AUTH_CAPACITY: '1000000',
        GATEWAY_RATELIMITS_AUTH_REFILLPERSECOND: '1000000',
      },
    });
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${platform.gatewayUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
    };
    const email = `fuzz-${SEED}@example.com`;
    const password = 'Fuzz-pass-1!';
    const signup = await api('/api/users/signup', {
      email,
      password,
      passwordConfirm: password,
      name: '퍼즈',
      phone: '010-1234-5678',
    });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    const logIn = async (who: string, body: Record<string, string>) => {
      const res = await eventually(async () => {
        const answer = await api('/api/auth/login', body);
        return answer.status === 200 ? answer : undefined;
      });
      const token = res.body.accessToken;
      if (typeof token !== 'string') throw new Error(`no access token for the ${who}`);
      return token;
    };
    tokens.user = await logIn('user', { email, password });
    tokens.admin = await logIn('admin', { email: platform.adminEmail, password: platform.adminPassword });
  }, 300_000);

  afterAll(async () => {
    agent.destroy();
    await platform?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('answers every hostile request below 500, with a problem for every error', async () => {
    const base = new URL(platform.gatewayUrl);
    // Every service the launcher started is fuzzed (a new one joins by registering); the registry
    // itself does not register. The gateway learns of instances on its next registry fetch.
    const started = platform
      .services()
      .map((service) => service.name)
      .filter((name) => name !== 'discovery-server');
    const listSpecs = async () =>
      (await (await fetch(`${platform.gatewayUrl}/docs/specs`)).json()) as {
        specs: Array<{ name: string; url: string }>;
      };
    const listing = await eventually(async () => {
      const specs = await listSpecs();
      return started.every((name) => specs.specs.some((spec) => spec.name === name)) ? specs : undefined;
    }, 30_000).catch(listSpecs);
    const operations: Operation[] = [];
    for (const spec of listing.specs) {
      const doc = (await (await fetch(`${platform.gatewayUrl}${spec.url}`)).json()) as OpenApiDocument;
      operations.push(...operationsOf(spec.name, doc));
    }
    const documented = listing.specs.map((spec) => spec.name);
    for (const name of started) expect(documented).toContain(name);

    const random = seededRandom(SEED);
    const cases: Array<{ who: Who; req: FuzzRequest }> = [];
    const only = process.env.SAGAMART_FUZZ_ONLY;
    for (const op of operations.filter((o) => !only || o.path.includes(only))) {
      const deep: Who = op.path.startsWith('/api/admin') || op.path.startsWith('/admin') ? 'admin' : 'user';
      for (const req of requestsFor(op, random, { perField: PER_FIELD.deep, wholeRequest: true }))
        cases.push({ who: deep, req });
      for (const who of ['anonymous', deep === 'admin' ? 'user' : 'admin'] as Who[])
        for (const req of requestsFor(op, random, { perField: PER_FIELD.shallow, wholeRequest: false }))
          cases.push({ who, req });
    }

    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const { who, req } = cases[next++]!;
        const where = `${req.method} ${req.target.slice(0, 120)} as ${who} (${req.operation.service}: ${req.label})`;
        try {
          const answer = await send(base, req, tokens[who]);
          const wrong = verdict(answer);
          if (wrong) failures.push(`${where}: ${wrong}: ${answer.body.slice(0, 200)}`);
        } catch (error) {
          failures.push(`${where}: connection failed: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // In-process services share this process: a polluted prototype would show here.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(
      failures,
      `seed ${SEED}: ${failures.length} of ${cases.length} requests over ${operations.length} operations failed`,
    ).toEqual([]);
    if (!only) expect(cases.length).toBeGreaterThan(1_000);
  }, 240_000);
});
