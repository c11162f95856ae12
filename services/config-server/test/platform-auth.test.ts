import type { ConfigEnvironment, Service } from '@sagamart/kit';
import { asPlatform, startTestService, testPlatformLogin } from '@sagamart/testkit';
import cloudConfigClient from 'cloud-config-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import configServer from '../src/index.ts';
import { bundledConfigRepo } from '../src/infra/config-repository.ts';

/**
 * Config reads carry secrets: only the deployment's services get them (HTTP Basic, as secured Spring
 * Cloud Config servers take spring.cloud.config.username/password), and config/ keeps them as {cipher}.
 */
describe('config server: authenticated reads, secrets as {cipher}', () => {
  let server: Service;
  const scrapeToken = 'prometheus-only-token';
  // The repository's own config/, with its development {cipher} values and the default key.
  beforeAll(async () => {
    server = await startTestService(configServer, {
      config: {
        configServer: { repo: bundledConfigRepo },
        database: { url: '' },
        metrics: { scrapeToken },
      },
    });
  });
  afterAll(() => server.stop());

  const read = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers });

  it('refuses a config read, /encrypt, /decrypt and /refresh without the platform credentials', async () => {
    const anonymous = await read('/user-service/default');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const wrong = { authorization: `Basic ${Buffer.from('sagamart:guess').toString('base64')}` };
    expect((await read('/auth-service/default', wrong)).status).toBe(401);
    for (const path of ['/encrypt', '/decrypt', '/refresh']) {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(401);
    }
    // Health stays open for probes.
    expect((await read('/health/live')).status).toBe(200);
  });

  it("gives Prometheus's metrics-only token /metrics and nothing else", async () => {
    const scraper = { authorization: `Bearer ${scrapeToken}` };
    const metrics = await read('/metrics', scraper);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('http_server_requests_seconds');
    for (const path of ['/user-service/default', '/auth-service/default', '/user-service/default/main'])
      expect((await read(path, scraper)).status, path).toBe(401);
    for (const path of ['/encrypt', '/decrypt', '/refresh']) {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: scraper, body: 'x' });
      expect(res.status, path).toBe(401);
    }
    // Without a credential /metrics stays closed; the platform's own Basic login still scrapes.
    expect((await read('/metrics')).status).toBe(401);
    expect((await read('/metrics', asPlatform())).status).toBe(200);
  });

  it('serves every secret of config/ decrypted to an authenticated caller', async () => {
    const value = async (app: string, key: string) => {
      const env = (await (await read(`/${app}/default`, asPlatform())).json()) as ConfigEnvironment;
      return env.propertySources.map((s) => s.source[key]).find((v) => v !== undefined);
    };
    expect(await value('user-service', 'bootstrap.admin.password')).toBe('Admin123!');
    expect(await value('auth-service', 'auth.keys.encryptionSecret')).toBe('sagamart-dev-signing-key-secret');
    expect(await value('payment-service', 'payment.pg.secretKey')).toBe('test_sk_sagamart_mock');
    expect(await value('mock-pg', 'mockPg.secretKey')).toBe('test_sk_sagamart_mock');
  });

  it('keeps those secrets as {cipher} values in the repository', async () => {
    const { readFile } = await import('node:fs/promises');
    const file = (name: string) => readFile(`${bundledConfigRepo}/${name}`, 'utf8');
    expect(await file('user-service.yml')).toMatch(/password: '\{cipher\}/);
    expect(await file('auth-service.yml')).toMatch(/encryptionSecret: '\{cipher\}/);
    expect(await file('payment-service.yml')).toMatch(/secretKey: '\{cipher\}/);
    expect(await file('mock-pg.yml')).toMatch(/secretKey: '\{cipher\}/);
  });

  it('works with a real Spring Cloud Config client given the credentials, and refuses it without', async () => {
    const config = await cloudConfigClient.load({
      endpoint: server.url,
      name: 'user-service',
      profiles: ['default'],
      auth: { user: testPlatformLogin.user, pass: testPlatformLogin.password },
    });
    expect(config.get('bootstrap.admin.password')).toBe('Admin123!');
    expect(config.get('bootstrap.admin.email')).toBe('admin@sagamart.dev');

    // The credentials in the URL, as spring.cloud.config.uri may carry them.
    const { hostname, port } = new URL(server.url);
    const inUrl = await cloudConfigClient.load({
      endpoint: `http://${testPlatformLogin.user}:${testPlatformLogin.password}@${hostname}:${port}`,
      name: 'payment-service',
    });
    expect(inUrl.get('payment.pg.secretKey')).toBe('test_sk_sagamart_mock');

    await expect(cloudConfigClient.load({ endpoint: server.url, name: 'user-service' })).rejects.toThrow(
      /401/,
    );
  });
});
