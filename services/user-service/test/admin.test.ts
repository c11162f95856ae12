import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, asUser, claimsOf, type Pair, signedUpUser, startPair } from './support.ts';

describe('admin user management', () => {
  let pair: Pair;
  /** A marker in every name of this suite, so searches see only these users. */
  const tag = randomUUID().slice(0, 6);
  const users: Array<Awaited<ReturnType<typeof signedUpUser>>> = [];

  beforeAll(async () => {
    pair = await startPair();
    for (const name of [`Alpha ${tag}`, `bravo ${tag}`, `Charlie ${tag}`]) {
      users.push(
        await signedUpUser(pair, { name, email: `${name.split(' ')[0]!.toLowerCase()}-${tag}@Example.test` }),
      );
    }
  });
  afterAll(async () => {
    await pair.stop();
  });

  const search = (query: string, headers = asAdmin()) =>
    pair.userApi.get(`/api/admin/users?${query}`, headers);

  it('is for ADMIN only', async () => {
    const id = users[0]!.userId;
    expect((await pair.userApi.get('/api/admin/users')).status).toBe(401);
    expect((await pair.userApi.get('/api/admin/users', asUser(id))).status).toBe(403);
    expect((await pair.userApi.get(`/api/admin/users/${id}`, asUser(id))).status).toBe(403);
    expect((await pair.userApi.patch(`/api/admin/users/${id}`, { grade: 'VIP' }, asUser(id))).status).toBe(
      403,
    );
  });

  it('searches email or name case-insensitively and pages the result', async () => {
    const byName = await search(`searchText=BRAVO%20${tag}`);
    expect(byName.status).toBe(200);
    expect(byName.body.content.map((u: { name: string }) => u.name)).toEqual([`bravo ${tag}`]);

    const byEmail = await search(`searchText=CHARLIE-${tag}@`);
    expect(byEmail.body.content.map((u: { email: string }) => u.email)).toEqual([
      `charlie-${tag}@example.test`,
    ]);

    const paged = await search(`searchText=${tag}&size=2&page=0&sort=name,asc`);
    expect(paged.body).toMatchObject({
      page: 0,
      size: 2,
      totalElements: 3,
      totalPages: 2,
      first: true,
      last: false,
    });
    expect(paged.body.content.map((u: { name: string }) => u.name)).toEqual([`Alpha ${tag}`, `bravo ${tag}`]);
    const last = await search(`searchText=${tag}&size=2&page=1&sort=name,asc`);
    expect(last.body.content.map((u: { name: string }) => u.name)).toEqual([`Charlie ${tag}`]);
    expect(last.body.last).toBe(true);
  });

  it('treats LIKE wildcards in the search text literally', async () => {
    expect((await search(`searchText=${encodeURIComponent('%')}${tag}`)).body.totalElements).toBe(0);
    expect((await search(`searchText=${encodeURIComponent('_')}${tag}`)).body.totalElements).toBe(0);
  });

  it('sorts by a whitelisted field in either direction', async () => {
    const asc = await search(`searchText=${tag}&sort=createdAt,asc`);
    const desc = await search(`searchText=${tag}&sort=createdAt,desc`);
    const ids = (r: typeof asc) => r.body.content.map((u: { userId: string }) => u.userId);
    expect(ids(asc)).toEqual(users.map((u) => u.userId));
    expect(ids(desc)).toEqual([...users].reverse().map((u) => u.userId));
    // Newest first by default.
    expect(ids(await search(`searchText=${tag}`))).toEqual(ids(desc));
  });

  it("takes Spring's repeated sort parameters, the direction defaulting to asc", async () => {
    const ids = (r: { body: { content: Array<{ userId: string }> } }) => r.body.content.map((u) => u.userId);
    const oldestFirst = users.map((u) => u.userId);
    // Every user of the tag shares status and grade: the second order decides.
    expect(ids(await search(`searchText=${tag}&sort=status,asc&sort=createdAt,asc`))).toEqual(oldestFirst);
    expect(ids(await search(`searchText=${tag}&sort=grade,desc&sort=createdAt,desc`))).toEqual(
      [...oldestFirst].reverse(),
    );
    expect(ids(await search(`searchText=${tag}&sort=createdAt`))).toEqual(oldestFirst);
  });

  it.each(['password,asc', 'createdAt,sideways', 'createdAt,desc,extra', 'created_at', 'constructor'])(
    'refuses sort=%s with 400',
    async (sort) => {
      const res = await search(`sort=${encodeURIComponent(sort)}`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('sort');
    },
  );

  it('refuses unknown filter values and accepts empty ones', async () => {
    expect((await search('status=DELETED')).status).toBe(400);
    expect((await search('grade=PLATINUM')).status).toBe(400);
    expect((await search(`status=&grade=&searchText=${tag}`)).body.totalElements).toBe(3);
  });

  it('gets one user, with 404 for an unknown id and 400 for a malformed one', async () => {
    const u = users[0]!;
    const res = await pair.userApi.get(`/api/admin/users/${u.userId}`, asAdmin());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      userId: u.userId,
      email: u.email.toLowerCase(),
      role: 'USER',
      status: 'ACTIVE',
      grade: 'NORMAL',
      pointBalance: 0,
      version: 1,
    });
    expect((await pair.userApi.get(`/api/admin/users/${randomUUID()}`, asAdmin())).status).toBe(404);
    expect((await pair.userApi.get('/api/admin/users/42', asAdmin())).status).toBe(400);
  });

  it('changes the grade and filters by it', async () => {
    const u = await signedUpUser(pair, { name: `Delta ${tag}-g` });
    const res = await pair.userApi.patch(`/api/admin/users/${u.userId}`, { grade: 'GOLD' }, asAdmin());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ grade: 'GOLD', version: 2 });
    const gold = await search(`searchText=${tag}-g&grade=GOLD`);
    expect(gold.body.content.map((x: { userId: string }) => x.userId)).toEqual([u.userId]);
    expect((await search(`searchText=${tag}-g&grade=VIP`)).body.totalElements).toBe(0);
  });

  it('suspends a user: login is refused at once, refresh is rejected, and the status filter finds them', async () => {
    const u = await signedUpUser(pair, { name: `Echo ${tag}-s` });
    const res = await pair.userApi.patch(`/api/admin/users/${u.userId}`, { status: 'SUSPENDED' }, asAdmin());
    expect(res.body.status).toBe('SUSPENDED');
    // No waiting: the change was pushed to auth before the answer.
    const login = await pair.authApi.post('/api/auth/login', {
      email: u.email,
      password: u.password,
      tokenDelivery: 'body',
    });
    expect(login.status).toBe(403);
    expect(
      (await pair.authApi.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken })).status,
    ).toBe(401);
    expect((await search(`searchText=${tag}-s&status=SUSPENDED`)).body.totalElements).toBe(1);

    await pair.userApi.patch(`/api/admin/users/${u.userId}`, { status: 'ACTIVE' }, asAdmin());
    expect(
      (await pair.authApi.post('/api/auth/login', { email: u.email, password: u.password })).status,
    ).toBe(200);
  });

  it('makes a user ADMIN: the next refresh carries the role', async () => {
    const u = await signedUpUser(pair);
    await pair.userApi.patch(`/api/admin/users/${u.userId}`, { role: 'ADMIN' }, asAdmin());
    const refreshed = await pair.authApi.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken });
    expect(claimsOf(refreshed.body.accessToken).claims.role).toBe('ADMIN');
  });

  it('refuses an empty change, bad values, and changing one’s own role or status', async () => {
    const admin = await signedUpUser(pair);
    await pair.userApi.patch(`/api/admin/users/${admin.userId}`, { role: 'ADMIN' }, asAdmin());
    const self = asUser(admin.userId, 'ADMIN');
    expect((await pair.userApi.patch(`/api/admin/users/${admin.userId}`, {}, self)).status).toBe(400);
    expect(
      (await pair.userApi.patch(`/api/admin/users/${admin.userId}`, { status: 'GONE' }, self)).status,
    ).toBe(400);
    const demote = await pair.userApi.patch(`/api/admin/users/${admin.userId}`, { role: 'USER' }, self);
    expect(demote.status).toBe(409);
    expect(
      (await pair.userApi.patch(`/api/admin/users/${admin.userId}`, { status: 'INACTIVE' }, self)).status,
    ).toBe(409);
    // Their own grade is fine.
    expect(
      (await pair.userApi.patch(`/api/admin/users/${admin.userId}`, { grade: 'VIP' }, self)).status,
    ).toBe(200);
    expect(
      (await pair.userApi.patch(`/api/admin/users/${randomUUID()}`, { grade: 'VIP' }, asAdmin())).status,
    ).toBe(404);
  });

  it('refuses a name or phone in an access change, naming it, and changes nothing', async () => {
    const u = await signedUpUser(pair);
    const res = await pair.userApi.patch(
      `/api/admin/users/${u.userId}`,
      { grade: 'GOLD', name: 'Someone else', phone: null },
      asAdmin(),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'name', message: 'is not a field of this request' },
      { field: 'phone', message: 'is not a field of this request' },
    ]);
    expect((await pair.userApi.get(`/api/admin/users/${u.userId}`, asAdmin())).body).toMatchObject({
      name: '김민준',
      grade: 'NORMAL',
      version: 1,
    });
  });

  it('does not publish or bump the version when nothing changes', async () => {
    const u = await signedUpUser(pair);
    const first = await pair.userApi.patch(`/api/admin/users/${u.userId}`, { grade: 'SILVER' }, asAdmin());
    const again = await pair.userApi.patch(`/api/admin/users/${u.userId}`, { grade: 'SILVER' }, asAdmin());
    expect(first.body.version).toBe(2);
    expect(again.body.version).toBe(2);
  });
});
