import { randomUUID } from 'node:crypto';
import {
  EMAIL_RULE_MESSAGE,
  NAME_CHARACTERS_MESSAGE,
  NAME_RULE_MESSAGE,
  PASSWORD_CONFIRM_MESSAGE,
  PASSWORD_RULE_MESSAGE,
  PHONE_RULE_MESSAGE,
} from '@sagamart/contracts/rules';
import type { DeliveredMessage, Service } from '@sagamart/kit';
import { eventually, freePort } from '@sagamart/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  claimsOf,
  client,
  PASSWORD,
  type Pair,
  signupBody,
  spyOnUserEvents,
  startAuth,
  startPair,
  startUserService,
  uniqueEmail,
} from './support.ts';

describe('signup', () => {
  let pair: Pair;
  let published: DeliveredMessage[];

  beforeAll(async () => {
    pair = await startPair();
    published = await spyOnUserEvents(pair);
  });
  afterAll(async () => {
    await pair.stop();
  });

  it('creates the user and answers 201 with the agreed shape', async () => {
    const body = signupBody({
      email: `Mixed.Case-${randomUUID().slice(0, 6)}@Example.TEST`,
      phone: '01098765432',
    });
    const res = await pair.userApi.post('/api/users/signup', body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: body.email.toLowerCase(),
      name: '김민준',
      phone: '010-9876-5432',
      createdAt: expect.any(String),
    });
  });

  it('lets the user log in right away, with their id, email and the USER role', async () => {
    const body = signupBody();
    const signup = await pair.userApi.post('/api/users/signup', body);
    const login = await pair.authApi.post('/api/auth/login', { email: body.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(claimsOf(login.body.accessToken).claims).toMatchObject({
      sub: signup.body.userId,
      email: body.email,
      role: 'USER',
    });
  });

  it('makes the phone optional', async () => {
    const { phone: _phone, ...body } = signupBody();
    const res = await pair.userApi.post('/api/users/signup', body);
    expect(res.status).toBe(201);
    expect(res.body.phone).toBeNull();
    expect((await pair.userApi.post('/api/users/signup', signupBody({ phone: '' }))).body.phone).toBeNull();
  });

  it('refuses a duplicate email case-insensitively with 409', async () => {
    const body = signupBody();
    expect((await pair.userApi.post('/api/users/signup', body)).status).toBe(201);
    const again = await pair.userApi.post('/api/users/signup', { ...body, email: body.email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ field: 'email', message: 'This email is already registered.' }]);
  });

  it('refuses a trailing dot rather than taking it as a second account of the address', async () => {
    const body = signupBody();
    expect((await pair.userApi.post('/api/users/signup', body)).status).toBe(201);
    const dotted = await pair.userApi.post('/api/users/signup', { ...body, email: `${body.email}.` });
    expect(dotted.status).toBe(400);
    expect(dotted.body.detail).toBe(`Invalid body: email ${EMAIL_RULE_MESSAGE}`);
    expect(dotted.body.errors).toEqual([{ field: 'email', message: EMAIL_RULE_MESSAGE }]);
  });

  it('keeps a name with spaces, Korean, Latin accents and emoji, trimmed', async () => {
    const res = await pair.userApi.post(
      '/api/users/signup',
      signupBody({ name: '  김 José 👍 👩\u200D💻 ' }),
    );
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('김 José 👍 👩\u200D💻');
  });

  it('serialises concurrent signups of one email: exactly one wins', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        pair.userApi.post('/api/users/signup', signupBody({ email, name: `racer ${i}` })),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!;
    const login = await pair.authApi.post('/api/auth/login', { email, password: PASSWORD });
    expect(claimsOf(login.body.accessToken).claims.sub).toBe(winner.body.userId);
  });

  it.each([
    ['email', { email: 'not-an-email' }, EMAIL_RULE_MESSAGE],
    ['password', { password: 'Short1!', passwordConfirm: 'Short1!' }, PASSWORD_RULE_MESSAGE],
    ['password', { password: 'NoDigits!!', passwordConfirm: 'NoDigits!!' }, PASSWORD_RULE_MESSAGE],
    ['password', { password: 'NoSpecial12', passwordConfirm: 'NoSpecial12' }, PASSWORD_RULE_MESSAGE],
    ['password', { password: '12345678!', passwordConfirm: '12345678!' }, PASSWORD_RULE_MESSAGE],
    ['passwordConfirm', { passwordConfirm: 'Different1!' }, PASSWORD_CONFIRM_MESSAGE],
    ['email', { email: 'kim@example.com.' }, EMAIL_RULE_MESSAGE],
    ['email', { email: 'kim@example..com' }, EMAIL_RULE_MESSAGE],
    ['email', { email: 'kim@.example.com' }, EMAIL_RULE_MESSAGE],
    ['email', { email: 'kim..lee@example.com' }, EMAIL_RULE_MESSAGE],
    ['email', { email: '.kim@example.com' }, EMAIL_RULE_MESSAGE],
    ['name', { name: '   ' }, NAME_RULE_MESSAGE],
    ['name', { name: undefined }, NAME_RULE_MESSAGE],
    ['name', { name: '김\u001b[31m민준' }, NAME_CHARACTERS_MESSAGE],
    ['name', { name: '김민준\n관리자' }, NAME_CHARACTERS_MESSAGE],
    ['name', { name: '김민준\t' }, NAME_CHARACTERS_MESSAGE],
    ['name', { name: '\u202e준민김' }, NAME_CHARACTERS_MESSAGE],
    ['name', { name: '김\u200b민준' }, NAME_CHARACTERS_MESSAGE],
    ['name', { name: '\ufeff김민준' }, NAME_CHARACTERS_MESSAGE],
    ['name', { name: '김민준\u2028' }, NAME_CHARACTERS_MESSAGE],
    ['phone', { phone: '02-123-4567' }, PHONE_RULE_MESSAGE],
    ['phone', { phone: '010-12-34' }, PHONE_RULE_MESSAGE],
  ])('refuses a bad %s with a 400 problem naming the field (%j)', async (field, override, message) => {
    const res = await pair.userApi.post('/api/users/signup', signupBody(override));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ field, message }]);
  });

  it('lists every bad field at once', async () => {
    const res = await pair.userApi.post('/api/users/signup', {
      email: 'x',
      password: 'weak',
      passwordConfirm: 'weak',
      phone: '123',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'email',
      'name',
      'password',
      'phone',
    ]);
  });

  it('publishes user.registered without any credential, and auth learns the user from it', async () => {
    const body = signupBody({ password: 'Unique#Pass9', passwordConfirm: 'Unique#Pass9' });
    const { body: created } = await pair.userApi.post('/api/users/signup', body);
    const event = await eventually(() =>
      published.find((m) => (m.payload as { userId: string }).userId === created.userId),
    );
    expect(event.topic).toBe('user.registered');
    expect(event.payload).toEqual({
      userId: created.userId,
      version: 1,
      email: body.email,
      name: '김민준',
      phone: '010-1234-5678',
      role: 'USER',
      status: 'ACTIVE',
      grade: 'NORMAL',
      registeredAt: created.createdAt,
    });
    const raw = JSON.stringify(event);
    expect(raw).not.toContain('Unique#Pass9');
    expect(raw).not.toMatch(/password|hash|scrypt/i);

    await eventually(
      async () => (await pair.authApi.get(`/internal/accounts/${created.userId}`)).body.confirmed === true,
    );
  });
});

describe('signup when auth-service is not reachable', () => {
  const running: Service<unknown>[] = [];
  afterEach(async () => {
    await Promise.all(
      running
        .splice(0)
        .reverse()
        .map((s) => s.stop()),
    );
  });

  it('answers 503, leaves no user behind, and works once auth is back', async () => {
    const port = await freePort();
    const authUrl = `http://127.0.0.1:${port}`;
    const user = await startUserService(authUrl, { http: { client: { breaker: { halfOpenAfterMs: 100 } } } });
    running.push(user);
    const api = client(user);
    const body = signupBody();

    const down = await api.post('/api/users/signup', body);
    expect(down.status).toBe(503);
    expect(down.body.type).toBe('urn:sagamart:problem:auth-unavailable');
    expect(down.headers.get('retry-after')).toBe('5');

    const auth = await startAuth({}, { port });
    running.unshift(auth);
    const created = await eventually(async () => {
      const res = await api.post('/api/users/signup', body);
      return res.status === 201 ? res : undefined;
    });
    // The earlier attempt left nothing: the same email signed up, and logs in.
    const login = await client(auth).post('/api/auth/login', { email: body.email, password: PASSWORD });
    expect(claimsOf(login.body.accessToken).claims.sub).toBe(created.body.userId);
  });

  it('logs in right after signup even when auth never receives the event', async () => {
    const pair = await startPair({ sharedBus: false });
    running.push(pair.auth, pair.user);
    const body = signupBody();
    const signup = await pair.userApi.post('/api/users/signup', body);
    expect(signup.status).toBe(201);
    const login = await pair.authApi.post('/api/auth/login', { email: body.email, password: PASSWORD });
    expect(login.status).toBe(200);
    // auth has the credential but has not seen the user yet.
    expect((await pair.authApi.get(`/internal/accounts/${signup.body.userId}`)).body).toMatchObject({
      confirmed: false,
      version: 0,
    });
  });
});
