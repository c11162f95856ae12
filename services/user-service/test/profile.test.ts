import { randomUUID } from 'node:crypto';
import {
  NAME_CHARACTERS_MESSAGE,
  NAME_RULE_MESSAGE,
  PASSWORD_RULE_MESSAGE,
  PHONE_RULE_MESSAGE,
} from '@sagamart/contracts/rules';
import type { DeliveredMessage } from '@sagamart/kit';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asAdmin,
  asUser,
  type Json,
  type Pair,
  signedUpUser,
  spyOnUserEvents,
  startPair,
} from './support.ts';

describe('my profile and password', () => {
  let pair: Pair;
  let events: DeliveredMessage[];
  beforeAll(async () => {
    pair = await startPair();
    events = await spyOnUserEvents(pair);
  });
  afterAll(async () => {
    await pair.stop();
  });

  /** The signed-in user's own profile edit and password change. */
  const editProfile = (userId: string, body: Record<string, unknown>) =>
    pair.userApi.patch('/api/users/me', body, asUser(userId));
  const changePassword = (userId: string, body: { currentPassword: string; newPassword: string }) =>
    pair.userApi.post('/api/users/me/password', body, asUser(userId));

  it('needs a signed-in user', async () => {
    expect((await pair.userApi.get('/api/users/me')).status).toBe(401);
    expect((await pair.userApi.patch('/api/users/me', { name: 'x' })).status).toBe(401);
    expect(
      (await pair.userApi.post('/api/users/me/password', { currentPassword: 'a', newPassword: 'Fresh123!' }))
        .status,
    ).toBe(401);
  });

  it('shows the profile of the caller', async () => {
    const u = await signedUpUser(pair);
    const me = await pair.userApi.get('/api/users/me', asUser(u.userId));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      userId: u.userId,
      email: u.email,
      name: '김민준',
      phone: '010-1234-5678',
      role: 'USER',
      status: 'ACTIVE',
      grade: 'NORMAL',
    });
    expect((await pair.userApi.get('/api/users/me', asUser(randomUUID()))).status).toBe(404);
  });

  it('edits name and phone, publishing user.updated with a higher version', async () => {
    const u = await signedUpUser(pair);
    const res = await editProfile(u.userId, { name: '  이서연 ', phone: '01155554444' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: '이서연', phone: '011-5555-4444' });
    expect((await editProfile(u.userId, { phone: null })).body.phone).toBeNull();
    // Both changes reached auth as versions 2 and 3.
    await eventually(
      async () => (await pair.authApi.get(`/internal/accounts/${u.userId}`)).body.version === 3,
    );
  });

  it('validates profile edits with the shared rules', async () => {
    const u = await signedUpUser(pair);
    const bad = await editProfile(u.userId, { phone: '1234' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'phone', message: PHONE_RULE_MESSAGE }]);
    expect((await editProfile(u.userId, {})).status).toBe(400);
  });

  /** The user's `user.updated` events once the one `matches` picks has been published. */
  async function updatesUntil(userId: string, matches: (payload: Json) => boolean) {
    const updates = () =>
      events
        .filter((m) => m.topic === 'user.updated' && (m.payload as Json).userId === userId)
        .map((m) => m.payload as Json);
    await eventually(() => updates().some(matches));
    return updates();
  }

  it('refuses fields it does not take (role, status, grade), naming them, and changes nothing', async () => {
    const u = await signedUpUser(pair);
    const before = await pair.userApi.get(`/api/admin/users/${u.userId}`, asAdmin());
    const res = await editProfile(u.userId, {
      name: before.body.name,
      role: 'ADMIN',
      status: 'SUSPENDED',
      grade: 'VIP',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'role', message: 'is not a field of this request' },
      { field: 'status', message: 'is not a field of this request' },
      { field: 'grade', message: 'is not a field of this request' },
    ]);
    expect(res.body.detail).toBe(
      'Invalid body: role is not a field of this request; status is not a field of this request; grade is not a field of this request',
    );
    const after = await pair.userApi.get(`/api/admin/users/${u.userId}`, asAdmin());
    expect(after.body).toEqual(before.body);

    // The next change is the next version, and the first user.updated the user ever had.
    expect((await editProfile(u.userId, { name: '이서연' })).status).toBe(200);
    const updates = await updatesUntil(u.userId, (p) => p.name === '이서연');
    expect(updates).toEqual([
      expect.objectContaining({ version: 2, changes: ['profile'], role: 'USER', status: 'ACTIVE' }),
    ]);
  });

  it('leaves an edit to the same name and phone unversioned and unpublished', async () => {
    const u = await signedUpUser(pair);
    const same = await editProfile(u.userId, { name: ' 김민준 ', phone: '01012345678' });
    expect(same.status).toBe(200);
    expect((await pair.userApi.get(`/api/admin/users/${u.userId}`, asAdmin())).body.version).toBe(1);

    expect((await editProfile(u.userId, { phone: null })).status).toBe(200);
    const updates = await updatesUntil(u.userId, (p) => p.phone === null);
    expect(updates).toEqual([expect.objectContaining({ version: 2, changes: ['profile'] })]);
  });

  it.each([
    ['an escape', '이\u001b서연', NAME_CHARACTERS_MESSAGE],
    ['a bell', '이서연\u0007', NAME_CHARACTERS_MESSAGE],
    ['a line feed', '이서연\n', NAME_CHARACTERS_MESSAGE],
    ['a right-to-left override', '\u202e연서이', NAME_CHARACTERS_MESSAGE],
    ['a zero-width space', '이\u200b서연', NAME_CHARACTERS_MESSAGE],
    ['only spaces', ' \u3000 ', NAME_RULE_MESSAGE],
  ])('refuses a name with %s and keeps the old one', async (_what, name, message) => {
    const u = await signedUpUser(pair);
    const bad = await editProfile(u.userId, { name });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([{ field: 'name', message }]);
    expect((await pair.userApi.get('/api/users/me', asUser(u.userId))).body.name).toBe('김민준');
  });

  it('changes the password: old refresh tokens die, the new password works, the old does not', async () => {
    const u = await signedUpUser(pair);
    const other = await pair.authApi.post('/api/auth/login', {
      email: u.email,
      password: u.password,
      tokenDelivery: 'body',
    });
    const res = await changePassword(u.userId, { currentPassword: u.password, newPassword: 'Brand-New9' });
    expect(res.status).toBe(204);
    expect(
      (await pair.authApi.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken })).status,
    ).toBe(401);
    expect(
      (await pair.authApi.post('/api/auth/refresh', { refreshToken: other.body.refreshToken })).status,
    ).toBe(401);
    expect(
      (await pair.authApi.post('/api/auth/login', { email: u.email, password: u.password })).status,
    ).toBe(401);
    expect(
      (await pair.authApi.post('/api/auth/login', { email: u.email, password: 'Brand-New9' })).status,
    ).toBe(200);
  });

  it('refuses a wrong current password, a weak new one, and an unchanged one', async () => {
    const u = await signedUpUser(pair);
    const wrong = await changePassword(u.userId, { currentPassword: 'Wrong123!', newPassword: 'Brand-New9' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([
      { field: 'currentPassword', message: 'The current password is incorrect.' },
    ]);
    const weak = await changePassword(u.userId, { currentPassword: u.password, newPassword: 'weak' });
    expect(weak.body.errors).toEqual([{ field: 'newPassword', message: PASSWORD_RULE_MESSAGE }]);
    const same = await changePassword(u.userId, { currentPassword: u.password, newPassword: u.password });
    expect(same.status).toBe(400);
    expect(same.body.errors[0].field).toBe('newPassword');
    // Nothing changed: the session still refreshes.
    expect(
      (await pair.authApi.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken })).status,
    ).toBe(200);
  });

  it('cools down password guessing through a stolen session, like login', async () => {
    const u = await signedUpUser(pair);
    const guess = () => changePassword(u.userId, { currentPassword: 'Guess123!', newPassword: 'Brand-New9' });
    for (let i = 0; i < 5; i++) expect((await guess()).status).toBe(400);
    const locked = await guess();
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The wait covers the right password too; logging in is throttled on its own counters, so
    // whoever guesses here does not lock the owner out.
    const right = await changePassword(u.userId, { currentPassword: u.password, newPassword: 'Brand-New9' });
    expect(right.status).toBe(429);
    expect(
      (await pair.authApi.post('/api/auth/login', { email: u.email, password: u.password })).status,
    ).toBe(200);
  });

  it('refuses every /me route to a suspended user at once', async () => {
    const u = await signedUpUser(pair);
    await pair.userApi.patch(`/api/admin/users/${u.userId}`, { status: 'SUSPENDED' }, asAdmin());
    const me = await pair.userApi.get('/api/users/me', asUser(u.userId));
    expect(me.status).toBe(403);
    expect(me.body.detail).toBe('This account is suspended');
    expect((await pair.userApi.get('/api/users/me/points', asUser(u.userId))).status).toBe(403);
    expect(
      (await pair.userApi.post('/api/users/me/points/charges', { amount: 100 }, asUser(u.userId))).status,
    ).toBe(403);
  });
});
