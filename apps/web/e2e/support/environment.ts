import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findServices, startPlatform } from '@sagamart/launcher';
import { freePort } from '@sagamart/testkit/ports';
import { buildWeb } from './web-server.ts';

/** Everything a browser test needs: where the app is and who the bootstrap admin is. */
export interface E2eEnvironment {
  /** The web app as the gateway serves it. */
  baseUrl: string;
  gatewayUrl: string;
  /** The mock PG (its hosted checkout page is on its own origin, like a real PG's). */
  pgUrl: string;
  /** The mock courier: tests move a parcel with its test control (it is not routed by the gateway). */
  courierUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** Stops what this acquisition started; a no-op for the environment run.ts shares. */
  release(): Promise<void>;
}

// run.ts starts one environment for all test files and hands it to them through these variables.
const SHARED_ENV = {
  baseUrl: 'SAGAMART_E2E_BASE_URL',
  gatewayUrl: 'SAGAMART_E2E_GATEWAY_URL',
  pgUrl: 'SAGAMART_E2E_PG_URL',
  courierUrl: 'SAGAMART_E2E_COURIER_URL',
  adminEmail: 'SAGAMART_E2E_ADMIN_EMAIL',
  adminPassword: 'SAGAMART_E2E_ADMIN_PASSWORD',
} as const;

/**
 * Platform services are shifted by this much, so the tests can run beside a developer's `npm start`.
 * The shifted ports (22080–23090) stay below Linux's ephemeral range (32768+), where a client socket of
 * an earlier suite can still hold a port, and clear of the launcher (20000) and fuzz (22000) suites.
 */
const DEFAULT_PORT_OFFSET = 14_000;
const DEFAULT_PG_PORT = 9083;
const DEFAULT_COURIER_PORT = 9082;

export function environmentVariables(environment: E2eEnvironment): Record<string, string> {
  return {
    [SHARED_ENV.baseUrl]: environment.baseUrl,
    [SHARED_ENV.gatewayUrl]: environment.gatewayUrl,
    [SHARED_ENV.pgUrl]: environment.pgUrl,
    [SHARED_ENV.courierUrl]: environment.courierUrl,
    [SHARED_ENV.adminEmail]: environment.adminEmail,
    [SHARED_ENV.adminPassword]: environment.adminPassword,
  };
}

/**
 * The environment run.ts shares, or (when a test file runs on its own) a fresh one: a platform
 * with empty data, in this process, whose gateway serves the freshly built web app.
 */
export async function acquireE2eEnvironment(log: (line: string) => void = () => {}): Promise<E2eEnvironment> {
  const shared = sharedEnvironment();
  if (shared) return shared;

  const portOffset = Number(process.env.SAGAMART_E2E_PORT_OFFSET ?? DEFAULT_PORT_OFFSET);
  const pgUrl = await mockServiceUrl('mock-pg', DEFAULT_PG_PORT, portOffset);
  const courierUrl = await mockServiceUrl('mock-courier', DEFAULT_COURIER_PORT, portOffset);
  const dataDir = await mkdtemp(join(tmpdir(), 'sagamart-e2e-'));
  // The app is built for this platform (it sends shoppers to this PG), so it goes to a directory of
  // its own rather than into apps/web/dist, which `npm start` serves.
  const webRoot = await mkdtemp(join(tmpdir(), 'sagamart-e2e-web-'));
  const removeTemporaryDirs = () =>
    Promise.all([dataDir, webRoot].map((dir) => rm(dir, { recursive: true, force: true })));
  log('Building the web app…');
  const platform = await buildWeb({ outDir: webRoot, pgUrl })
    .then(async () => {
      log(`Starting the platform (data in ${dataDir})…`);
      return startPlatform({
        inProcess: true,
        dataDir,
        reset: true,
        quiet: true,
        portOffset,
        postgresPort: await freePort(),
        env: {
          LOG_LEVEL: 'warn',
          // Fast heartbeats so the platform page shows every instance healthy within seconds.
          DISCOVERY_HEARTBEATMS: '1000',
          DISCOVERY_FETCHMS: '1000',
          GATEWAY_WEBROOT: webRoot,
          // Every browser test signs users up and in from this one address: lift the per-address login
          // limit (the limiter has its own tests in services/gateway) so the suite is not throttled.
          GATEWAY_RATELIMITS_AUTH_CAPACITY: '10000',
          GATEWAY_RATELIMITS_AUTH_REFILLPERSECOND: '1000',
          // Parcels leave only when a test sends them: a waybill issued by itself a few seconds after
          // payment would add notifications the tests do not expect.
          SHIPPING_AUTODISPATCH: 'false',
        },
      });
    })
    .catch(async (error: unknown) => {
      await removeTemporaryDirs();
      throw error;
    });
  log(`Web app and API on ${platform.gatewayUrl}`);

  return {
    baseUrl: platform.gatewayUrl,
    gatewayUrl: platform.gatewayUrl,
    pgUrl,
    courierUrl,
    adminEmail: platform.adminEmail,
    adminPassword: platform.adminPassword,
    async release() {
      await platform.stop();
      await removeTemporaryDirs();
    },
  };
}

function sharedEnvironment(): E2eEnvironment | undefined {
  const { baseUrl, gatewayUrl, pgUrl, courierUrl, adminEmail, adminPassword } = {
    baseUrl: process.env[SHARED_ENV.baseUrl],
    gatewayUrl: process.env[SHARED_ENV.gatewayUrl],
    pgUrl: process.env[SHARED_ENV.pgUrl],
    courierUrl: process.env[SHARED_ENV.courierUrl],
    adminEmail: process.env[SHARED_ENV.adminEmail],
    adminPassword: process.env[SHARED_ENV.adminPassword],
  };
  if (!baseUrl || !gatewayUrl || !pgUrl || !courierUrl || !adminEmail || !adminPassword) return undefined;
  // Owned by run.ts, which stops it after the last file.
  return { baseUrl, gatewayUrl, pgUrl, courierUrl, adminEmail, adminPassword, release: async () => {} };
}

/** Where a mock (the PG, the courier) listens on the shifted platform. */
async function mockServiceUrl(name: string, defaultPort: number, portOffset: number): Promise<string> {
  const service = (await findServices()).find((candidate) => candidate.name === name);
  return `http://127.0.0.1:${(service?.port ?? defaultPort) + portOffset}`;
}
