import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '@sagamart/testkit';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/services.ts';

// Production mode (NODE_ENV=production, as the image sets it, or a prod profile): a service refuses to
// start while a secret still has its development default, exits non-zero and names the variable.

/** The secrets each service declares, by the environment variable that sets them. */
const secretsByService: Record<string, string[]> = {
  'config-server': ['ENCRYPT_KEY'],
  'auth-service': ['AUTH_KEYS_ENCRYPTIONSECRET'],
  'user-service': ['BOOTSTRAP_ADMIN_PASSWORD'],
  'payment-service': ['PAYMENT_PG_SECRETKEY'],
  'mock-pg': ['MOCKPG_SECRETKEY'],
};
const developmentValues: Record<string, string> = {
  ENCRYPT_KEY: 'sagamart-development-encrypt-key',
  AUTH_KEYS_ENCRYPTIONSECRET: 'sagamart-dev-signing-key-secret',
  BOOTSTRAP_ADMIN_PASSWORD: 'Admin123!',
  PAYMENT_PG_SECRETKEY: 'test_sk_sagamart_mock',
  MOCKPG_SECRETKEY: 'test_sk_sagamart_mock',
};
const strong = () => randomBytes(24).toString('base64url');

// Eight services start at once, each transpiling its sources with tsx: on a loaded two-core machine
// that alone has taken over the unit project's 30 s, so these tests get longer, and a run is killed
// before the test's own limit so that its output is still reported.
const RUN_LIMIT_MS = 100_000;
const TEST_LIMIT_MS = 120_000;

interface Run {
  code: number | null;
  output: string;
}

/** Runs a service's entry as its container does, without a config server or a database. */
function runService(service: string, env: Record<string, string>, untilReady = false): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'services', service, 'src/main.ts')],
      {
        cwd: join(repoRoot, 'services', service),
        env: {
          PATH: process.env.PATH ?? '',
          CONFIG_SERVER_URL: '',
          DISCOVERY_MODE: 'static',
          LOG_LEVEL: 'warn',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (untilReady && output.includes('"msg":"started"')) child.kill('SIGTERM');
      });
    }
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.concurrent('production mode refuses development secrets', { timeout: TEST_LIMIT_MS }, () => {
  for (const [service, variables] of Object.entries(secretsByService)) {
    for (const variable of variables) {
      it(`${service} exits non-zero naming ${variable} when it is the development default`, async () => {
        const run = await runService(service, {
          NODE_ENV: 'production',
          SAGAMART_DEPLOYMENT_SECRET: strong(),
          [variable]: developmentValues[variable]!,
        });
        expect(run.code).not.toBe(0);
        expect(run.code).not.toBeNull();
        expect(run.output).toContain(`set ${variable}`);
        expect(run.output).toContain('is the development default');
      });
    }
  }

  it('user-service exits non-zero naming BOOTSTRAP_AGENT_PASSWORD while the demo agent is on with its development password', async () => {
    const run = await runService('user-service', {
      NODE_ENV: 'production',
      SAGAMART_DEPLOYMENT_SECRET: strong(),
      BOOTSTRAP_ADMIN_PASSWORD: strong(),
      BOOTSTRAP_AGENT_ENABLED: 'true',
    });
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.output).toContain('set BOOTSTRAP_AGENT_PASSWORD');
    expect(run.output).toContain('bootstrap.agent.password is the development default');
  });

  it('a service without SAGAMART_DEPLOYMENT_SECRET exits non-zero naming it', async () => {
    const run = await runService('catalog-service', { NODE_ENV: 'production' });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('set SAGAMART_DEPLOYMENT_SECRET');
  });

  it('SAGAMART_PROFILE=prod is production mode too, and an unset secret is refused like a default', async () => {
    const run = await runService('user-service', {
      SAGAMART_PROFILE: 'prod',
      SAGAMART_DEPLOYMENT_SECRET: strong(),
    });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('set BOOTSTRAP_ADMIN_PASSWORD');
  });

  it('with its own secrets the config server starts in production mode', async () => {
    const port = await freePort();
    const run = await runService(
      'config-server',
      {
        NODE_ENV: 'production',
        SAGAMART_DEPLOYMENT_SECRET: strong(),
        ENCRYPT_KEY: strong(),
        SERVER_PORT: String(port),
        LOG_LEVEL: 'info',
      },
      true,
    );
    expect(run.output).toContain('"msg":"started"');
    expect(run.output).not.toContain('production mode');
  });

  it('outside production mode the development defaults still start (npm start, tests)', async () => {
    const port = await freePort();
    const run = await runService('config-server', { SERVER_PORT: String(port), LOG_LEVEL: 'info' }, true);
    expect(run.output).toContain('"msg":"started"');
  });
});
