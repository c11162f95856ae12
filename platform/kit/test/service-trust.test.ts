import {
  DeploymentCredentials,
  defineService,
  requireIdentity,
  SERVICE_TOKEN_HEADER,
  type Service,
} from '@sagamart/kit';
import { asPlatform, asService, asUser, startTestService, TEST_DEPLOYMENT_SECRET } from '@sagamart/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Nothing is trusted for being on the same network (docs/adr/0005-service-credentials.md): a service
 * knows its caller only from a service token signed with the deployment secret, which also carries
 * the user the gateway verified. Raw X-User-* headers mean nothing.
 */
describe('kit: who may call a service', () => {
  const running: Service[] = [];
  let vault: Service;
  let front: Service;
  const forgedAdmin = { 'x-user-id': 'u-1', 'x-user-email': 'a@b.c', 'x-user-role': 'ADMIN' };

  beforeAll(async () => {
    vault = await startTestService(
      defineService({
        name: 'vault-service',
        port: 0,
        routes(app) {
          app.get('/api/me', async (req) => ({ user: requireIdentity(req).userId }));
          app.get('/api/admin/secrets', async (req) => ({ by: requireIdentity(req, 'ADMIN').userId }));
          app.post('/internal/grants', async (req) => ({
            caller: req.caller,
            user: req.identity?.userId ?? null,
          }));
        },
      }),
      { config: { database: { url: '' }, metrics: { scrapeToken: 'prometheus-secret' } } },
    );
    running.push(vault);
    // A second service calling the first through the kit's client, on behalf of its own caller.
    front = await startTestService(
      defineService({
        name: 'front-service',
        port: 0,
        routes(app, ctx) {
          app.post('/api/relay', async () => ctx.client('vault-service').post('/internal/grants', {}));
        },
      }),
      { config: { database: { url: '' }, discovery: { static: { 'vault-service': vault.url } } } },
    );
    running.push(front);
  });
  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop()));
  });

  const call = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${vault.url}${path}`, { method, headers });
  const signedBy = (secret: string, audience: string, ttlSeconds?: number) =>
    new DeploymentCredentials('intruder', { current: secret }).mint(
      audience,
      { userId: 'u-1', email: 'a@b.c', role: 'ADMIN' },
      ttlSeconds,
    );

  it('refuses forged X-User-* headers on a direct call to its port', async () => {
    expect((await call('/api/me', forgedAdmin)).status).toBe(401);
    expect((await call('/api/admin/secrets', forgedAdmin)).status).toBe(401);
  });

  it('knows the user from the token the gateway signed, role included', async () => {
    expect(await (await call('/api/me', asUser('u-7', 'USER', 'x@y.z', 'vault-service'))).json()).toEqual({
      user: 'u-7',
    });
    expect((await call('/api/admin/secrets', asUser('u-7', 'USER', 'x@y.z', 'vault-service'))).status).toBe(
      403,
    );
    expect(
      await (await call('/api/admin/secrets', asUser('u-8', 'ADMIN', 'x@y.z', 'vault-service'))).json(),
    ).toEqual({ by: 'u-8' });
  });

  it('refuses a token signed with another secret, meant for another service, expired or altered', async () => {
    const token = (value: string) => ({ [SERVICE_TOKEN_HEADER]: value });
    expect((await call('/api/me', token(signedBy('not-the-secret', 'vault-service')))).status).toBe(401);
    expect((await call('/api/me', token(signedBy(TEST_DEPLOYMENT_SECRET, 'other-service')))).status).toBe(
      401,
    );
    expect(
      (await call('/api/me', token(signedBy(TEST_DEPLOYMENT_SECRET, 'vault-service', -60)))).status,
    ).toBe(401);
    const [header, , signature] = signedBy(TEST_DEPLOYMENT_SECRET, 'vault-service').split('.');
    const claims = Buffer.from(
      JSON.stringify({ sub: 'intruder', aud: 'vault-service', iat: 0, exp: 9_999_999_999 }),
    ).toString('base64url');
    expect((await call('/api/me', token(`${header}.${claims}.${signature}`))).status).toBe(401);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${claims}.`;
    expect((await call('/api/me', token(none))).status).toBe(401);
  });

  it('answers /internal/** only to a service with a token, however the path is spelled', async () => {
    expect((await call('/internal/grants', {}, 'POST')).status).toBe(401);
    expect((await call('/internal/grants', forgedAdmin, 'POST')).status).toBe(401);
    expect((await call('/%69nternal/grants', {}, 'POST')).status).toBe(401);
    const res = await call('/internal/grants', asService('vault-service'), 'POST');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ caller: 'testkit', user: null });
  });

  it('serves /metrics only to the platform: its Basic login, a service token or the scrape token', async () => {
    const refused = async (headers: Record<string, string>) => {
      const res = await call('/metrics', headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.text()).not.toContain('http_server_requests');
      return res;
    };
    expect((await refused({})).headers.get('www-authenticate')).toContain('Basic');
    await refused(forgedAdmin);
    // A shopper's access token (a JWT from auth-service) is no scrape credential.
    await refused({ authorization: `Bearer ${signedBy(TEST_DEPLOYMENT_SECRET, 'vault-service')}` });
    await refused({ authorization: 'Bearer prometheus-guess' });
    await refused({ authorization: `Basic ${Buffer.from('sagamart:guess').toString('base64')}` });
    await refused({ [SERVICE_TOKEN_HEADER]: signedBy('not-the-secret', 'vault-service') });
    for (const headers of [
      asPlatform(),
      asService('vault-service'),
      { authorization: 'Bearer prometheus-secret' },
    ]) {
      const res = await call('/metrics', headers);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('http_server_requests_seconds');
    }
  });

  it('signs its own calls, and passes on the user it acts for', async () => {
    const relayed = await fetch(`${front.url}/api/relay`, {
      method: 'POST',
      headers: asUser('u-9', 'USER', 'n@m.o', 'front-service'),
    });
    expect(await relayed.json()).toEqual({ caller: 'front-service', user: 'u-9' });
    // A forged header at the front door is not passed on as a user.
    const forged = await fetch(`${front.url}/api/relay`, { method: 'POST', headers: forgedAdmin });
    expect(await forged.json()).toEqual({ caller: 'front-service', user: null });
  });

  it('accepts tokens under the previous secret while a rotation rolls out', async () => {
    const rotated = await startTestService(
      defineService({
        name: 'rotated-service',
        port: 0,
        routes(app) {
          app.get('/api/me', async (req) => ({ user: requireIdentity(req).userId }));
        },
      }),
      {
        config: {
          database: { url: '' },
          security: { deploymentSecret: 'the-new-secret', previousDeploymentSecret: TEST_DEPLOYMENT_SECRET },
        },
      },
    );
    running.push(rotated);
    const get = (headers: Record<string, string>) => fetch(`${rotated.url}/api/me`, { headers });
    expect(
      (await get({ [SERVICE_TOKEN_HEADER]: signedBy(TEST_DEPLOYMENT_SECRET, 'rotated-service') })).status,
    ).toBe(200);
    expect(
      (await get({ [SERVICE_TOKEN_HEADER]: signedBy('the-new-secret', 'rotated-service') })).status,
    ).toBe(200);
    expect((await get({ [SERVICE_TOKEN_HEADER]: signedBy('an-old-leak', 'rotated-service') })).status).toBe(
      401,
    );
  });
});

/** Tokens are signed and checked once per second (docs/performance.md); that must not stretch their life. */
describe('kit: remembered service tokens', () => {
  const gateway = new DeploymentCredentials('gateway', { current: TEST_DEPLOYMENT_SECRET });
  const catalog = new DeploymentCredentials('catalog-service', { current: TEST_DEPLOYMENT_SECRET });
  const shopper = { userId: 'u-7', email: 'u7@example.com', role: 'USER' as const };
  afterEach(() => vi.useRealTimers());

  it('gives each caller its own token, and a fresh one once the second has passed', () => {
    vi.useFakeTimers({ now: new Date('2026-12-05T00:00:00.100Z') });
    const anonymous = gateway.mint('catalog-service');
    expect(gateway.mint('catalog-service', shopper)).not.toBe(anonymous);
    expect(gateway.mint(['catalog-service'])).not.toBe(anonymous);
    expect(catalog.verify(gateway.mint('catalog-service', shopper))?.identity).toEqual(shopper);
    expect(catalog.verify(anonymous)).toEqual({ service: 'gateway', identity: undefined });
    vi.setSystemTime(new Date('2026-12-05T00:00:01.100Z'));
    const next = gateway.mint('catalog-service');
    expect(next).not.toBe(anonymous);
    expect(catalog.verify(next)).toEqual({ service: 'gateway', identity: undefined });
  });

  it('refuses a verified token once it expires, and an altered copy of it at any time', () => {
    vi.useFakeTimers({ now: new Date('2026-12-05T00:00:00.000Z') });
    const token = gateway.mint('catalog-service', shopper, 1);
    expect(catalog.verify(token)?.identity).toEqual(shopper);
    const [header, body, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const admin = Buffer.from(JSON.stringify({ ...claims, user: { ...claims.user, role: 'ADMIN' } }));
    expect(catalog.verify(`${header}.${admin.toString('base64url')}.${signature}`)).toBeUndefined();
    // Good until its life (1 s) and the clock tolerance (5 s) are over, though verified a moment ago.
    vi.setSystemTime(new Date('2026-12-05T00:00:05.900Z'));
    expect(catalog.verify(token)?.identity).toEqual(shopper);
    vi.setSystemTime(new Date('2026-12-05T00:00:06.100Z'));
    expect(catalog.verify(token)).toBeUndefined();
  });

  it('hands out a copy of the caller, so that one request cannot change another’s', () => {
    const token = gateway.mint('catalog-service', shopper);
    const first = catalog.verify(token)!;
    first.identity!.role = 'ADMIN';
    expect(catalog.verify(token)?.identity?.role).toBe('USER');
  });
});
