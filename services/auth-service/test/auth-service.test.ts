import { randomUUID } from 'node:crypto';
import { DeploymentCredentials, type Service } from '@sagamart/kit';
import { eventually, TEST_DEPLOYMENT_SECRET } from '@sagamart/testkit';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  asAdmin,
  asUser,
  claimsOf,
  client,
  createCredential,
  PASSWORD,
  snapshot,
  startAuth,
  uniqueEmail,
  useAuthService,
} from './support.ts';

describe('auth-service', () => {
  const auth = useAuthService();

  describe('login', () => {
    it('issues an ES256 access and refresh token pair with the agreed claims', async () => {
      const email = uniqueEmail();
      const userId = await createCredential(auth, email);
      const res = await auth.post('/api/auth/login', {
        email: email.toUpperCase(),
        password: PASSWORD,
        tokenDelivery: 'body',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 1800, refreshExpiresIn: 1_209_600 });

      const jwks = await auth.get('/api/auth/.well-known/jwks.json');
      const keySet = createLocalJWKSet(jwks.body);
      const access = await jwtVerify(res.body.accessToken, keySet, {
        issuer: 'sagamart-auth',
        audience: 'sagamart',
      });
      expect(access.protectedHeader.alg).toBe('ES256');
      expect(access.protectedHeader.kid).toBe(jwks.body.keys[0].kid);
      expect(access.payload).toMatchObject({ sub: userId, email, role: 'USER', token_type: 'access' });
      expect(typeof access.payload.jti).toBe('string');
      expect(access.payload.exp! - access.payload.iat!).toBe(1800);

      const refresh = await jwtVerify(res.body.refreshToken, keySet, {
        issuer: 'sagamart-auth',
        audience: 'sagamart',
      });
      expect(refresh.payload).toMatchObject({ sub: userId, token_type: 'refresh' });
      expect(refresh.payload.exp! - refresh.payload.iat!).toBe(1_209_600);
      expect(refresh.payload.jti).not.toBe(access.payload.jti);
    });

    it('answers unknown email and wrong password with the same 401', async () => {
      const email = uniqueEmail();
      await createCredential(auth, email);
      const wrong = await auth.post('/api/auth/login', { email, password: 'Wrong123!' });
      const unknown = await auth.post('/api/auth/login', {
        email: uniqueEmail('nobody'),
        password: PASSWORD,
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.detail).toBe('Invalid email or password');
      expect(unknown.body.detail).toBe(wrong.body.detail);
      expect(unknown.body.type).toBe(wrong.body.type);
    });

    it('refuses SUSPENDED and INACTIVE accounts with 403, but only with the right password', async () => {
      for (const status of ['SUSPENDED', 'INACTIVE']) {
        const email = uniqueEmail();
        await createCredential(auth, email, { status });
        const right = await auth.post('/api/auth/login', { email, password: PASSWORD });
        expect(right.status).toBe(403);
        expect(right.body).toMatchObject({
          detail: `This account is ${status.toLowerCase()}`,
          accountStatus: status,
        });
        expect((await auth.post('/api/auth/login', { email, password: 'Wrong123!' })).status).toBe(401);
      }
    });

    it('validates the body', async () => {
      const res = await auth.post('/api/auth/login', { email: 'a@b.c' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    });
  });

  describe('refresh', () => {
    async function login() {
      const email = uniqueEmail();
      const userId = await createCredential(auth, email);
      const res = await auth.post('/api/auth/login', { email, password: PASSWORD, tokenDelivery: 'body' });
      return { userId, email, pair: res.body };
    }

    it('rotates: the new pair works and the used refresh token dies', async () => {
      const { pair, userId } = await login();
      const first = await auth.post('/api/auth/refresh', { refreshToken: pair.refreshToken });
      expect(first.status).toBe(200);
      expect(claimsOf(first.body.accessToken).claims).toMatchObject({ sub: userId, token_type: 'access' });
      expect(first.body.refreshToken).not.toBe(pair.refreshToken);
      const second = await auth.post('/api/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(second.status).toBe(200);
    });

    it('revokes the whole family when a used refresh token comes back', async () => {
      const { pair } = await login();
      const other = await login();
      const rotated = await auth.post('/api/auth/refresh', { refreshToken: pair.refreshToken });
      expect(rotated.status).toBe(200);

      const replay = await auth.post('/api/auth/refresh', { refreshToken: pair.refreshToken });
      expect(replay.status).toBe(401);
      expect(replay.body.detail).toMatch(/already used/);
      // The legitimate successor is dead too.
      expect((await auth.post('/api/auth/refresh', { refreshToken: rotated.body.refreshToken })).status).toBe(
        401,
      );
      // Other sessions are untouched.
      expect((await auth.post('/api/auth/refresh', { refreshToken: other.pair.refreshToken })).status).toBe(
        200,
      );
    });

    it('rejects an access token, a tampered token and garbage', async () => {
      const { pair } = await login();
      expect((await auth.post('/api/auth/refresh', { refreshToken: pair.accessToken })).status).toBe(401);
      const [h, p, s] = pair.refreshToken.split('.');
      const flipped = `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
      expect((await auth.post('/api/auth/refresh', { refreshToken: flipped })).status).toBe(401);
      expect((await auth.post('/api/auth/refresh', { refreshToken: 'not-a-jwt' })).status).toBe(401);
    });

    it('puts a role change into the next access token', async () => {
      const { pair, userId, email } = await login();
      const push = await auth.put(
        `/internal/accounts/${userId}`,
        snapshot(userId, email, 1, { role: 'ADMIN', changes: ['role'] }),
      );
      expect(push.body).toEqual({ applied: true });
      const res = await auth.post('/api/auth/refresh', { refreshToken: pair.refreshToken });
      expect(claimsOf(res.body.accessToken).claims.role).toBe('ADMIN');
    });

    it('rejects refresh once the account is suspended, and the session stays dead after reactivation', async () => {
      const { pair, userId, email } = await login();
      await auth.put(`/internal/accounts/${userId}`, snapshot(userId, email, 2, { status: 'SUSPENDED' }));
      // Suspension ended every session of the user.
      const res = await auth.post('/api/auth/refresh', { refreshToken: pair.refreshToken });
      expect(res.status).toBe(401);
      expect((await auth.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(403);

      await auth.put(`/internal/accounts/${userId}`, snapshot(userId, email, 3, { status: 'ACTIVE' }));
      expect((await auth.post('/api/auth/refresh', { refreshToken: pair.refreshToken })).status).toBe(401);
      expect((await auth.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(200);
    });
  });

  describe('logout', () => {
    it('revokes the refresh token and is idempotent', async () => {
      const email = uniqueEmail();
      await createCredential(auth, email);
      const { body: pair } = await auth.post('/api/auth/login', {
        email,
        password: PASSWORD,
        tokenDelivery: 'body',
      });
      expect((await auth.post('/api/auth/logout', { refreshToken: pair.refreshToken })).status).toBe(204);
      expect((await auth.post('/api/auth/refresh', { refreshToken: pair.refreshToken })).status).toBe(401);
      expect((await auth.post('/api/auth/logout', { refreshToken: pair.refreshToken })).status).toBe(204);
      expect((await auth.post('/api/auth/logout', { refreshToken: 'garbage' })).status).toBe(401);
    });
  });

  describe('password change (internal)', () => {
    it('needs the current password, then ends every session', async () => {
      const email = uniqueEmail();
      const userId = await createCredential(auth, email);
      const a = (await auth.post('/api/auth/login', { email, password: PASSWORD, tokenDelivery: 'body' }))
        .body;
      const b = (await auth.post('/api/auth/login', { email, password: PASSWORD, tokenDelivery: 'body' }))
        .body;

      const wrong = await auth.post(`/internal/credentials/${userId}/password`, {
        currentPassword: 'Nope123!',
        newPassword: 'Fresh123!',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors).toEqual([
        { field: 'currentPassword', message: 'The current password is incorrect.' },
      ]);
      const weak = await auth.post(`/internal/credentials/${userId}/password`, {
        currentPassword: PASSWORD,
        newPassword: 'weakweak',
      });
      expect(weak.status).toBe(400);
      expect(weak.body.errors[0].field).toBe('newPassword');

      const ok = await auth.post(`/internal/credentials/${userId}/password`, {
        currentPassword: PASSWORD,
        newPassword: 'Fresh123!',
      });
      expect(ok.status).toBe(204);
      expect((await auth.post('/api/auth/refresh', { refreshToken: a.refreshToken })).status).toBe(401);
      expect((await auth.post('/api/auth/refresh', { refreshToken: b.refreshToken })).status).toBe(401);
      expect((await auth.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(401);
      expect((await auth.post('/api/auth/login', { email, password: 'Fresh123!' })).status).toBe(200);
    });
  });

  describe('credentials from user-service', () => {
    it('replaces the credential of a signup that never committed, but not a confirmed user', async () => {
      const email = uniqueEmail();
      const orphan = await createCredential(auth, email);
      const real = randomUUID();
      expect(
        (
          await auth.put(`/internal/credentials/${real}`, {
            email,
            password: 'Other123!',
            role: 'USER',
            status: 'ACTIVE',
          })
        ).status,
      ).toBe(204);
      expect((await auth.get(`/internal/accounts/${orphan}`)).status).toBe(404);
      const login = await auth.post('/api/auth/login', { email, password: 'Other123!' });
      expect(claimsOf(login.body.accessToken).claims.sub).toBe(real);

      // user-service committed the user (its event or push confirms it): the email is now taken.
      await auth.put(`/internal/accounts/${real}`, snapshot(real, email, 1, { changes: ['profile'] }));
      const third = await auth.put(`/internal/credentials/${randomUUID()}`, {
        email,
        password: 'Third123!',
        role: 'USER',
        status: 'ACTIVE',
      });
      expect(third.status).toBe(409);
      // And a confirmed user's credential cannot be overwritten through the signup call.
      const again = await auth.put(`/internal/credentials/${real}`, {
        email,
        password: 'Third123!',
        role: 'USER',
        status: 'ACTIVE',
      });
      expect(again.status).toBe(409);
    });

    it('is safe to retry while the user is being created', async () => {
      const email = uniqueEmail();
      const userId = await createCredential(auth, email);
      expect(
        (
          await auth.put(`/internal/credentials/${userId}`, {
            email,
            password: PASSWORD,
            role: 'USER',
            status: 'ACTIVE',
          })
        ).status,
      ).toBe(204);
      expect((await auth.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(200);
    });

    it('enforces the password rule itself', async () => {
      const res = await auth.put(`/internal/credentials/${randomUUID()}`, {
        email: uniqueEmail(),
        password: 'short',
        role: 'USER',
        status: 'ACTIVE',
      });
      expect(res.status).toBe(400);
    });

    it('never exposes credential material', async () => {
      const email = uniqueEmail();
      const userId = await createCredential(auth, email);
      const view = await auth.get(`/internal/accounts/${userId}`);
      expect(view.body).toMatchObject({ userId, email, hasPassword: true, confirmed: false, version: 0 });
      expect(JSON.stringify(view.body)).not.toMatch(/scrypt|hash/i);
    });
  });

  describe('keys', () => {
    it('publishes only public keys', async () => {
      const res = await auth.get('/api/auth/.well-known/jwks.json');
      expect(res.status).toBe(200);
      expect(res.body.keys).toHaveLength(1);
      const [key] = res.body.keys;
      expect(key).toEqual({
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
        kid: expect.any(String),
        alg: 'ES256',
        use: 'sig',
      });
    });

    it('lets only ADMIN list and rotate keys', async () => {
      expect((await auth.post('/api/admin/auth/keys/rotate')).status).toBe(401);
      expect((await auth.post('/api/admin/auth/keys/rotate', {}, asUser(randomUUID()))).status).toBe(403);
      expect((await auth.get('/api/admin/auth/keys', asUser(randomUUID()))).status).toBe(403);
      const list = await auth.get('/api/admin/auth/keys', asAdmin());
      expect(list.status).toBe(200);
      expect(list.body[0]).toMatchObject({ current: true, published: true, supersededAt: null });
    });
  });
});

describe('auth-service with its own configuration', () => {
  const running: Service<unknown>[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  const start = async (...args: Parameters<typeof startAuth>) => {
    const service = await startAuth(...args);
    running.push(service);
    return service;
  };

  // Only the gateway's X-Forwarded-For is believed: these calls carry the gateway's service token.
  const gateway = new DeploymentCredentials('gateway', { current: TEST_DEPLOYMENT_SECRET });
  const from = (address: string) => ({ 'x-forwarded-for': address, ...gateway.headersFor('auth-service') });
  const lockout = (overrides: Record<string, number> = {}) => ({
    auth: {
      lockout: {
        maxFailures: 5,
        maxFailuresPerAddress: 50,
        baseDelaySeconds: 60,
        maxDelaySeconds: 600,
        ...overrides,
      },
    },
  });

  it('checks only as many of 30 parallel wrong passwords as the limit allows', async () => {
    const auth = client(await start(lockout()));
    const email = uniqueEmail();
    await createCredential(auth, email);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        auth.post('/api/auth/login', { email, password: 'Wrong123!' }, from('203.0.113.66')),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
  });

  it('holds back the attacker’s address only: the owner still logs in from elsewhere', async () => {
    const auth = client(await start(lockout({ maxFailures: 3 })));
    const email = uniqueEmail('admin');
    await createCredential(auth, email, { role: 'ADMIN' });
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < 3; i++) {
      for (const target of [email, ghost]) {
        const res = await auth.post(
          '/api/auth/login',
          { email: target, password: 'Wrong123!' },
          from('203.0.113.66'),
        );
        expect(res.status).toBe(401);
      }
    }
    // From the attacker's address even the right password waits; an unknown email looks the same.
    const held = await auth.post('/api/auth/login', { email, password: PASSWORD }, from('203.0.113.66'));
    expect(held.status).toBe(429);
    expect(held.headers.get('retry-after')).toBe('60');
    expect(held.body.retryAfterSeconds).toBe(60);
    const heldGhost = await auth.post(
      '/api/auth/login',
      { email: ghost, password: PASSWORD },
      from('203.0.113.66'),
    );
    expect(heldGhost.status).toBe(429);
    expect(heldGhost.body.detail).toBe(held.body.detail);
    // The owner, from their own address, is not affected.
    const owner = await auth.post('/api/auth/login', { email, password: PASSWORD }, from('198.51.100.20'));
    expect(owner.status).toBe(200);
    expect(claimsOf(owner.body.accessToken).claims.role).toBe('ADMIN');
  });

  it('backs off exponentially, counts one address over all emails, and resets on success', async () => {
    const auth = client(
      await start(
        lockout({ maxFailures: 2, maxFailuresPerAddress: 4, baseDelaySeconds: 1, maxDelaySeconds: 8 }),
      ),
    );
    const email = uniqueEmail();
    await createCredential(auth, email);
    const wrong = (address: string, target = email) =>
      auth.post('/api/auth/login', { email: target, password: 'Wrong123!' }, from(address));

    // A success gives back what the failures before it charged.
    expect((await wrong('192.0.2.10')).status).toBe(401);
    expect(
      (await auth.post('/api/auth/login', { email, password: PASSWORD }, from('192.0.2.10'))).status,
    ).toBe(200);
    expect((await wrong('192.0.2.10')).status).toBe(401);
    expect((await wrong('192.0.2.10')).status).toBe(401);
    expect((await wrong('192.0.2.10')).headers.get('retry-after')).toBe('1');
    // Once the wait is over, one more failure doubles it.
    await eventually(async () => (await wrong('192.0.2.10')).status === 401, 5_000, 200);
    expect((await wrong('192.0.2.10')).headers.get('retry-after')).toBe('2');

    // One address trying many emails: held back after maxFailuresPerAddress, whatever the email.
    for (let i = 0; i < 4; i++) expect((await wrong('192.0.2.20', uniqueEmail('spray'))).status).toBe(401);
    expect((await wrong('192.0.2.20', uniqueEmail('spray'))).status).toBe(429);
    expect((await wrong('192.0.2.21', uniqueEmail('spray'))).status).toBe(401);
  });

  it('believes X-Forwarded-For only from the gateway: a direct caller cannot pick the address it is counted by', async () => {
    const service = await start(lockout({ maxFailures: 2 }));
    const auth = client(service);
    const email = uniqueEmail();
    await createCredential(auth, email);
    // Callers other than the gateway (another service's token, or none) are counted by their socket
    // address, whatever X-Forwarded-For they send: a fresh address per guess does not escape the limit.
    const direct = [client(service), client(service, { anonymous: true })];
    const spoofed = (n: number) => ({ 'x-forwarded-for': `198.51.100.${n}` });
    expect(
      (await direct[0]!.post('/api/auth/login', { email, password: 'Wrong123!' }, spoofed(1))).status,
    ).toBe(401);
    expect(
      (await direct[1]!.post('/api/auth/login', { email, password: 'Wrong123!' }, spoofed(2))).status,
    ).toBe(401);
    for (const [n, caller] of direct.entries()) {
      const held = await caller.post('/api/auth/login', { email, password: PASSWORD }, spoofed(3 + n));
      expect(held.status).toBe(429);
    }
    // The addresses the direct caller claimed were never charged, and the gateway's forwarded address
    // is believed: the owner logs in through the gateway from one of them, though the gateway's own
    // socket address (loopback, like the direct caller's) is held back.
    const owner = await auth.post('/api/auth/login', { email, password: PASSWORD }, from('198.51.100.1'));
    expect(owner.status).toBe(200);
    expect(
      (await auth.post('/api/auth/login', { email, password: 'Wrong123!' }, from('198.51.100.2'))).status,
    ).toBe(401);
  });

  it('rotates keys without rejecting tokens signed by the previous key', async () => {
    const auth = client(await start());
    const email = uniqueEmail();
    await createCredential(auth, email);
    const before = (await auth.post('/api/auth/login', { email, password: PASSWORD, tokenDelivery: 'body' }))
      .body;
    const oldKid = claimsOf(before.accessToken).header.kid;

    const rotated = await auth.post('/api/admin/auth/keys/rotate', {}, asAdmin());
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ current: true, published: true });
    expect(rotated.body.kid).not.toBe(oldKid);

    const jwks = (await auth.get('/api/auth/.well-known/jwks.json')).body;
    expect(jwks.keys.map((k: { kid: string }) => k.kid).sort()).toEqual([oldKid, rotated.body.kid].sort());
    // The old access token still verifies against the published set.
    await jwtVerify(before.accessToken, createLocalJWKSet(jwks));

    const after = (await auth.post('/api/auth/login', { email, password: PASSWORD })).body;
    expect(claimsOf(after.accessToken).header.kid).toBe(rotated.body.kid);
    // A refresh token signed by the old key still refreshes, and the new pair uses the new key.
    const refreshed = await auth.post('/api/auth/refresh', { refreshToken: before.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(claimsOf(refreshed.body.accessToken).header.kid).toBe(rotated.body.kid);
  });

  it('publishes a delayed key before it signs', async () => {
    const auth = client(await start({ auth: { keys: { activationDelaySeconds: 3600 } } }));
    const email = uniqueEmail();
    await createCredential(auth, email);
    const rotated = await auth.post('/api/admin/auth/keys/rotate', {}, asAdmin());
    expect(rotated.body).toMatchObject({ current: false, published: true });
    const jwks = (await auth.get('/api/auth/.well-known/jwks.json')).body;
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(rotated.body.kid);
    const login = (await auth.post('/api/auth/login', { email, password: PASSWORD })).body;
    expect(claimsOf(login.accessToken).header.kid).not.toBe(rotated.body.kid);
  });

  it('drops a superseded key once every token it signed has expired', async () => {
    const auth = client(
      await start({
        auth: { accessTokenTtlSeconds: 1, refreshTokenTtlSeconds: 1, keys: { retentionGraceSeconds: 0 } },
      }),
    );
    const oldKid = (await auth.get('/api/auth/.well-known/jwks.json')).body.keys[0].kid;
    const rotated = await auth.post('/api/admin/auth/keys/rotate', {}, asAdmin());
    await eventually(
      async () => {
        const kids = (await auth.get('/api/auth/.well-known/jwks.json')).body.keys.map(
          (k: { kid: string }) => k.kid,
        );
        return kids.length === 1 && kids[0] === rotated.body.kid && !kids.includes(oldKid);
      },
      5_000,
      200,
    );
  });

  it('keeps its keys across restarts, encrypted with the configured secret', async () => {
    const database = { name: `t_auth_${randomUUID().replaceAll('-', '').slice(0, 10)}` };
    const first = await start({ database, auth: { keys: { encryptionSecret: 'first-secret' } } });
    const auth1 = client(first);
    const email = uniqueEmail();
    await createCredential(auth1, email);
    const pair = (await auth1.post('/api/auth/login', { email, password: PASSWORD, tokenDelivery: 'body' }))
      .body;
    const kid = (await auth1.get('/api/auth/.well-known/jwks.json')).body.keys[0].kid;
    await first.stop();

    await expect(
      startAuth({ database, auth: { keys: { encryptionSecret: 'another-secret' } } }),
    ).rejects.toThrow(/Cannot decrypt signing key/);

    const second = await start({ database, auth: { keys: { encryptionSecret: 'first-secret' } } });
    const auth2 = client(second);
    expect(
      (await auth2.get('/api/auth/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid),
    ).toEqual([kid]);
    expect((await auth2.post('/api/auth/refresh', { refreshToken: pair.refreshToken })).status).toBe(200);
  });
});
