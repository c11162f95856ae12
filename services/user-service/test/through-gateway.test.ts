import { createPublicKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConfigTree, Service } from '@sagamart/kit';
import { eventually, startTestService, uniqueName } from '@sagamart/testkit';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import gateway from '../../gateway/src/index.ts';
import { client, PASSWORD, signupBody, startAuth, startUserService } from './support.ts';

/** The real route table (config/gateway.yml), plus the auth admin route if it is not there yet. */
function platformRoutes(): ConfigTree[] {
  const file = new URL('../../../config/gateway.yml', import.meta.url);
  const routes = (parse(readFileSync(file, 'utf8')) as { gateway: { routes: ConfigTree[] } }).gateway.routes;
  const adminAuth = { id: 'admin-auth', path: '/api/admin/auth', service: 'auth-service', role: 'ADMIN' };
  return routes.some((r) => r.path === adminAuth.path) ? routes : [...routes, adminAuth];
}

/**
 * auth-service, user-service and the gateway, wired by static discovery; clients talk to the gateway
 * only. The gateway hears revocations on the bus, or (`revocations: 'poll'`) only by polling the feed.
 */
async function startPlatform(
  authConfig: ConfigTree = {},
  gatewayAuth: ConfigTree = {},
  revocations: 'broadcast' | 'poll' = 'broadcast',
) {
  const bus = { database: uniqueName('t_bus'), pollMs: 200 };
  const auth = await startAuth({ bus, ...authConfig });
  const user = await startUserService(auth.url, { bus, bootstrap: { admin: { enabled: true } } });
  const gw = await startTestService(gateway, {
    config: {
      // On the bus, polling slowed to a minute: the broadcast alone must end sessions within seconds.
      ...(revocations === 'broadcast' ? { bus } : { database: { url: '' } }),
      discovery: { mode: 'static', static: { 'auth-service': auth.url, 'user-service': user.url } },
      gateway: {
        revocations: { pollMs: revocations === 'broadcast' ? 60_000 : 200 },
        routes: platformRoutes(),
        // Many logins in a row here; the login rate limit has its own tests in the gateway.
        rateLimits: {
          default: { capacity: 1000, refillPerSecond: 1000 },
          auth: { capacity: 1000, refillPerSecond: 1000 },
        },
        jwks: { minReloadIntervalMs: 0 },
        auth: gatewayAuth,
      },
    },
  });
  const services: Service<unknown>[] = [gw, user, auth];
  return {
    api: client(gw),
    userUrl: user.url,
    async stop() {
      for (const s of services) await s.stop();
    },
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('identity through the gateway', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let api: ReturnType<typeof client>;
  let adminToken: string;

  async function signUpAndLogIn(overrides: Record<string, unknown> = {}) {
    const body = signupBody(overrides);
    const signup = await api.post('/api/users/signup', body);
    expect(signup.status).toBe(201);
    const login = await api.post('/api/auth/login', {
      email: body.email,
      password: PASSWORD,
      tokenDelivery: 'body',
    });
    expect(login.status).toBe(200);
    return { userId: signup.body.userId as string, email: body.email as string, tokens: login.body };
  }

  /**
   * Waits (bounded) until the gateway refuses an access token that worked: the real signal, not a sleep.
   * The token must have been accepted before the change, or this proves nothing.
   */
  async function refusedSoon(token: string, path: string) {
    const refused = await eventually(async () => {
      const res = await api.get(path, bearer(token));
      return res.status === 401 ? res : undefined;
    }, 5_000);
    expect(refused.body.detail).toContain('the session has ended');
  }

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
    // The bootstrap admin appears in the background once both services are up; user-service is ready
    // once it exists (logging in until it works would trip auth's lockout on the failures).
    await eventually(async () => (await fetch(`${platform.userUrl}/health/ready`)).ok);
    const login = await api.post('/api/auth/login', { email: 'admin@sagamart.dev', password: 'Admin123!' });
    expect(login.status).toBe(200);
    adminToken = login.body.accessToken;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  describe('public routes', () => {
    it('signup, login, refresh, logout and the JWKS need no token', async () => {
      const u = await signUpAndLogIn();
      const refreshed = await api.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken });
      expect(refreshed.status).toBe(200);
      expect((await api.get('/api/auth/.well-known/jwks.json')).body.keys.length).toBeGreaterThan(0);
      expect((await api.post('/api/auth/logout', { refreshToken: refreshed.body.refreshToken })).status).toBe(
        204,
      );
      expect(
        (await api.post('/api/auth/refresh', { refreshToken: refreshed.body.refreshToken })).status,
      ).toBe(401);
    });

    it('never routes auth-service’s or user-service’s internal API', async () => {
      const u = await signUpAndLogIn();
      expect((await api.get(`/internal/accounts/${u.userId}`, bearer(adminToken))).status).toBe(404);
      const put = await api.put(`/internal/credentials/${u.userId}`, {
        email: u.email,
        password: 'Hijack12!',
        role: 'ADMIN',
        status: 'ACTIVE',
      });
      expect(put.status).toBe(404);
      expect((await api.post('/api/auth/login', { email: u.email, password: 'Hijack12!' })).status).toBe(401);
    });
  });

  describe('USER routes', () => {
    it('need an access token', async () => {
      expect((await api.get('/api/users/me')).status).toBe(401);
      expect((await api.get('/api/users/me/points')).status).toBe(401);
      expect((await api.post('/api/users/me/points/charges', { amount: 100 })).status).toBe(401);
      expect(
        (await api.post('/api/users/me/password', { currentPassword: PASSWORD, newPassword: 'Brand-New9' }))
          .status,
      ).toBe(401);
    });

    it('serve the caller named by the token', async () => {
      const u = await signUpAndLogIn();
      const me = await api.get('/api/users/me', bearer(u.tokens.accessToken));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ userId: u.userId, email: u.email, role: 'USER' });
      const charge = await api.post(
        '/api/users/me/points/charges',
        { amount: 500 },
        bearer(u.tokens.accessToken),
      );
      expect(charge.status).toBe(201);
      expect(charge.body).toMatchObject({ amount: 500, status: 'PENDING' });
    });
  });

  describe('ADMIN routes', () => {
    it('refuse users and accept admins', async () => {
      const u = await signUpAndLogIn();
      expect((await api.get('/api/admin/users')).status).toBe(401);
      expect((await api.get('/api/admin/users', bearer(u.tokens.accessToken))).status).toBe(403);
      expect(
        (await api.patch(`/api/admin/users/${u.userId}`, { role: 'ADMIN' }, bearer(u.tokens.accessToken)))
          .status,
      ).toBe(403);
      expect((await api.post('/api/admin/auth/keys/rotate', {}, bearer(u.tokens.accessToken))).status).toBe(
        403,
      );
      const list = await api.get(
        `/api/admin/users?searchText=${encodeURIComponent(u.email)}`,
        bearer(adminToken),
      );
      expect(list.status).toBe(200);
      expect(list.body.content.map((x: { userId: string }) => x.userId)).toEqual([u.userId]);
      expect((await api.get('/api/admin/auth/keys', bearer(adminToken))).status).toBe(200);
    });

    it('promote a user: the refreshed token opens ADMIN routes', async () => {
      const u = await signUpAndLogIn();
      expect(
        (await api.patch(`/api/admin/users/${u.userId}`, { role: 'ADMIN' }, bearer(adminToken))).status,
      ).toBe(200);
      // The USER token ends (the role in it is stale); the refreshed one carries the new role.
      await refusedSoon(u.tokens.accessToken, '/api/users/me');
      const refreshed = await api.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken });
      expect((await api.get('/api/admin/users', bearer(refreshed.body.accessToken))).status).toBe(200);
    });

    it('rotate keys without logging anyone out', async () => {
      const u = await signUpAndLogIn();
      const rotated = await api.post('/api/admin/auth/keys/rotate', {}, bearer(adminToken));
      expect(rotated.status).toBe(201);
      // Tokens signed by the previous key still pass the gateway and still refresh.
      expect((await api.get('/api/users/me', bearer(u.tokens.accessToken))).status).toBe(200);
      const refreshed = await api.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken });
      expect(decodeProtectedHeader(refreshed.body.accessToken).kid).toBe(rotated.body.kid);
      // The new key is fetched on first sight.
      expect((await api.get('/api/users/me', bearer(refreshed.body.accessToken))).status).toBe(200);
    });
  });

  describe('token attacks', () => {
    let victim: Awaited<ReturnType<typeof signUpAndLogIn>>;
    let claims: Record<string, unknown>;
    let kid: string;
    let publicJwk: JWK;

    beforeAll(async () => {
      victim = await signUpAndLogIn();
      claims = decodeJwt(victim.tokens.accessToken);
      kid = decodeProtectedHeader(victim.tokens.accessToken).kid!;
      publicJwk = (await api.get('/api/auth/.well-known/jwks.json')).body.keys.find(
        (k: JWK) => k.kid === kid,
      );
    });

    const rejected = async (token: string, path = '/api/users/me') => {
      const res = await api.get(path, bearer(token));
      expect(res.status).toBe(401);
      return res;
    };

    it('rejects a token whose signature was tampered with, or whose claims were edited', async () => {
      const [h, p, s] = victim.tokens.accessToken.split('.');
      await rejected(`${h}.${p}.${s!.slice(0, -4)}${s!.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`);
      await rejected(`${h}.${b64url({ ...claims, role: 'ADMIN' })}.${s}`, '/api/admin/users');
    });

    it('rejects a token signed by another key under the real kid', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const forged = await new SignJWT({ ...claims, role: 'ADMIN' })
        .setProtectedHeader({ alg: 'ES256', kid })
        .sign(privateKey);
      await rejected(forged, '/api/admin/users');
    });

    it('rejects alg "none"', async () => {
      await rejected(`${b64url({ alg: 'none', typ: 'JWT', kid })}.${b64url(claims)}.`);
      await rejected(
        `${b64url({ alg: 'none', typ: 'JWT', kid })}.${b64url({ ...claims, role: 'ADMIN' })}.`,
        '/api/admin/users',
      );
    });

    it('rejects HS256 tokens "signed" with the public key', async () => {
      const pem = createPublicKey({ key: publicJwk as never, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      }) as string;
      for (const secret of [pem, JSON.stringify(publicJwk)]) {
        const token = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid })
          .sign(new TextEncoder().encode(secret));
        await rejected(token);
      }
    });

    it('rejects a refresh token presented as an access token', async () => {
      const res = await rejected(victim.tokens.refreshToken);
      expect(res.body.detail).toMatch(/access token/);
    });

    it('rejects garbage and other schemes', async () => {
      await rejected('not.a.token');
      const basic = await api.get('/api/users/me', {
        authorization: `Basic ${Buffer.from('a:b').toString('base64')}`,
      });
      expect(basic.status).toBe(401);
    });
  });

  describe('identity headers', () => {
    it('never lets a client-sent X-User-* header reach user-service', async () => {
      const u = await signUpAndLogIn();
      const other = await signUpAndLogIn();
      const spoof = { 'X-User-Id': other.userId, 'x-user-email': other.email, 'X-USER-ROLE': 'ADMIN' };
      // With a token: the token's identity wins.
      const me = await api.get('/api/users/me', { ...bearer(u.tokens.accessToken), ...spoof });
      expect(me.body.userId).toBe(u.userId);
      expect((await api.get('/api/admin/users', { ...bearer(u.tokens.accessToken), ...spoof })).status).toBe(
        403,
      );
      // Without a token: no identity at all.
      expect((await api.get('/api/users/me', spoof)).status).toBe(401);
      expect((await api.get('/api/admin/users', spoof)).status).toBe(401);
    });
  });

  describe('revoked sessions end at the gateway within seconds', () => {
    it('logout ends that session’s access token, and only that session’s', async () => {
      const u = await signUpAndLogIn();
      const phone = await api.post('/api/auth/login', { email: u.email, password: PASSWORD });
      expect((await api.get('/api/users/me', bearer(u.tokens.accessToken))).status).toBe(200);
      expect((await api.post('/api/auth/logout', { refreshToken: u.tokens.refreshToken })).status).toBe(204);
      await refusedSoon(u.tokens.accessToken, '/api/users/me');
      expect((await api.get('/api/users/me', bearer(phone.body.accessToken))).status).toBe(200);
    });

    it('a suspension ends every token of the user', async () => {
      const u = await signUpAndLogIn();
      const second = await api.post('/api/auth/login', { email: u.email, password: PASSWORD });
      expect((await api.get('/api/users/me', bearer(u.tokens.accessToken))).status).toBe(200);
      const suspended = await api.patch(
        `/api/admin/users/${u.userId}`,
        { status: 'SUSPENDED' },
        bearer(adminToken),
      );
      expect(suspended.status).toBe(200);
      await refusedSoon(u.tokens.accessToken, '/api/users/me/points');
      await refusedSoon(second.body.accessToken, '/api/users/me');
    });

    it('a demotion ends the admin token; the refreshed one carries the new role', async () => {
      const u = await signUpAndLogIn();
      await api.patch(`/api/admin/users/${u.userId}`, { role: 'ADMIN' }, bearer(adminToken));
      const admin = await api.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken });
      expect((await api.get('/api/admin/users', bearer(admin.body.accessToken))).status).toBe(200);
      const demoted = await api.patch(`/api/admin/users/${u.userId}`, { role: 'USER' }, bearer(adminToken));
      expect(demoted.status).toBe(200);
      await refusedSoon(admin.body.accessToken, '/api/admin/users');
      const refreshed = await api.post('/api/auth/refresh', { refreshToken: admin.body.refreshToken });
      expect(refreshed.status).toBe(200);
      expect((await api.get('/api/admin/users', bearer(refreshed.body.accessToken))).status).toBe(403);
      expect((await api.get('/api/users/me', bearer(refreshed.body.accessToken))).status).toBe(200);
    });
  });

  describe('suspension', () => {
    it('an admin suspends a user: login 403, refresh rejected, and their still-valid access token is refused', async () => {
      const u = await signUpAndLogIn();
      expect(
        (await api.patch(`/api/admin/users/${u.userId}`, { status: 'SUSPENDED' }, bearer(adminToken))).status,
      ).toBe(200);
      expect((await api.post('/api/auth/login', { email: u.email, password: PASSWORD })).status).toBe(403);
      expect((await api.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken })).status).toBe(401);
      // The gateway refuses the still-unexpired access token within seconds, for every service.
      await refusedSoon(u.tokens.accessToken, '/api/users/me');
    });

    it('a password change ends every session', async () => {
      const u = await signUpAndLogIn();
      const res = await api.post(
        '/api/users/me/password',
        { currentPassword: PASSWORD, newPassword: 'Brand-New9' },
        bearer(u.tokens.accessToken),
      );
      expect(res.status).toBe(204);
      expect((await api.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken })).status).toBe(401);
      expect((await api.post('/api/auth/login', { email: u.email, password: 'Brand-New9' })).status).toBe(
        200,
      );
    });

    it('a password change ends the access tokens already out', async () => {
      const u = await signUpAndLogIn();
      expect((await api.get('/api/users/me', bearer(u.tokens.accessToken))).status).toBe(200);
      const res = await api.post(
        '/api/users/me/password',
        { currentPassword: PASSWORD, newPassword: 'Brand-New9' },
        bearer(u.tokens.accessToken),
      );
      expect(res.status).toBe(204);
      await refusedSoon(u.tokens.accessToken, '/api/users/me');
      // A login right after gets a token that works.
      const again = await api.post('/api/auth/login', { email: u.email, password: 'Brand-New9' });
      expect((await api.get('/api/users/me', bearer(again.body.accessToken))).status).toBe(200);
    });

    it('reusing a rotated refresh token revokes the family', async () => {
      const u = await signUpAndLogIn();
      const next = await api.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken });
      expect((await api.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken })).status).toBe(401);
      expect((await api.post('/api/auth/refresh', { refreshToken: next.body.refreshToken })).status).toBe(
        401,
      );
    });
  });
});

describe('expired access tokens through the gateway', () => {
  it('are rejected, while the refresh token still buys a fresh pair', async () => {
    const platform = await startPlatform(
      { auth: { accessTokenTtlSeconds: 1 } },
      { clockToleranceSeconds: 0 },
    );
    try {
      const body = signupBody({ email: `exp-${randomUUID().slice(0, 8)}@example.test` });
      await platform.api.post('/api/users/signup', body);
      const login = await platform.api.post('/api/auth/login', {
        email: body.email,
        password: PASSWORD,
        tokenDelivery: 'body',
      });
      const expired = await eventually(
        async () => {
          const res = await platform.api.get('/api/users/me', bearer(login.body.accessToken));
          return res.status === 401 ? res : undefined;
        },
        10_000,
        250,
      );
      expect(expired.body.detail).toMatch(/expired/);
      const refreshed = await platform.api.post('/api/auth/refresh', {
        refreshToken: login.body.refreshToken,
      });
      expect(refreshed.status).toBe(200);
      expect((await platform.api.get('/api/users/me', bearer(refreshed.body.accessToken))).status).toBe(200);
    } finally {
      await platform.stop();
    }
  });
});

describe('revocations when the broadcast does not reach the gateway', () => {
  it('the gateway’s poll of the feed ends a logged-out session all the same', async () => {
    const platform = await startPlatform({}, {}, 'poll');
    try {
      const body = signupBody();
      expect((await platform.api.post('/api/users/signup', body)).status).toBe(201);
      const login = await platform.api.post('/api/auth/login', {
        email: body.email,
        password: PASSWORD,
        tokenDelivery: 'body',
      });
      const token = login.body.accessToken as string;
      expect((await platform.api.get('/api/users/me', bearer(token))).status).toBe(200);
      expect(
        (await platform.api.post('/api/auth/logout', { refreshToken: login.body.refreshToken })).status,
      ).toBe(204);
      const refused = await eventually(async () => {
        const res = await platform.api.get('/api/users/me', bearer(token));
        return res.status === 401 ? res : undefined;
      }, 5_000);
      expect(refused.body.detail).toContain('the session has ended');
    } finally {
      await platform.stop();
    }
  });
});
