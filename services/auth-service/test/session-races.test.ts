import { type Kysely, sql } from '@sagamart/kit';
import { holdLocks, waitForLockWaiters } from '@sagamart/testkit';
import { describe, expect, it } from 'vitest';
import { createCredential, type Json, PASSWORD, snapshot, uniqueEmail, useAuthService } from './support.ts';

/**
 * A refresh that has its token's row in hand while a logout, a password change, a reuse or a
 * suspension revokes the user's tokens: the successor it inserts must be revoked too, not survive
 * the revocation. The test holds the live token's row, so that the refresh and then the revocation
 * queue up behind it, in that order, and lets both go.
 */
describe('a refresh racing a revocation', () => {
  const auth = useAuthService();
  const db = () => auth.service.context.db as Kysely<Json>;

  async function login() {
    const email = uniqueEmail('race');
    const userId = await createCredential(auth, email);
    const res = await auth.post('/api/auth/login', { email, password: PASSWORD, tokenDelivery: 'body' });
    expect(res.status).toBe(200);
    return { userId, email, refreshToken: res.body.refreshToken as string };
  }

  /** Locks the user's live refresh tokens in a transaction of the test's own, until `release`. */
  const holdLiveTokens = (userId: string) =>
    holdLocks(db(), (trx) =>
      sql`select token_hash from refresh_tokens
        where user_id = ${userId} and revoked_at is null for update`.execute(trx),
    );

  /** Starts a refresh of `token` and then `revoke`, each once it is queued behind the held rows. */
  async function race<T>(userId: string, token: string, revoke: () => Promise<T>) {
    const lock = await holdLiveTokens(userId);
    const refreshing = auth.post('/api/auth/refresh', { refreshToken: token });
    await waitForLockWaiters(db(), 1);
    const revoking = revoke();
    await waitForLockWaiters(db(), 2);
    await lock.release();
    const refreshed = await refreshing;
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    return { successor: refreshed.body.refreshToken as string, revoked: await revoking };
  }

  const refresh = (token: string) => auth.post('/api/auth/refresh', { refreshToken: token });

  it('a password change ends the session a refresh rotated meanwhile', async () => {
    const { userId, refreshToken } = await login();
    const { successor, revoked } = await race(userId, refreshToken, () =>
      auth.post(`/internal/credentials/${userId}/password`, {
        currentPassword: PASSWORD,
        newPassword: 'Fresh123!',
      }),
    );
    expect(revoked.status).toBe(204);
    expect((await refresh(successor)).status).toBe(401);
  });

  it('a logout ends the session a refresh rotated meanwhile', async () => {
    const { userId, refreshToken } = await login();
    const { successor, revoked } = await race(userId, refreshToken, () =>
      auth.post('/api/auth/logout', { refreshToken }),
    );
    expect(revoked.status).toBe(204);
    expect((await refresh(successor)).status).toBe(401);
  });

  it('a replayed token ends the session its successor is being rotated in', async () => {
    const { userId, refreshToken } = await login();
    const rotated = await refresh(refreshToken);
    expect(rotated.status).toBe(200);
    const { successor, revoked } = await race(userId, rotated.body.refreshToken, () => refresh(refreshToken));
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toMatch(/already used/);
    expect((await refresh(successor)).status).toBe(401);
  });

  it('a suspension ends the session a refresh rotated meanwhile, for good', async () => {
    const { userId, email, refreshToken } = await login();
    const { successor, revoked } = await race(userId, refreshToken, () =>
      auth.put(`/internal/accounts/${userId}`, snapshot(userId, email, 1, { status: 'SUSPENDED' })),
    );
    expect(revoked.body).toEqual({ applied: true });
    // The session stays dead after reactivation, like every other session of the suspended user.
    const reactivated = await auth.put(
      `/internal/accounts/${userId}`,
      snapshot(userId, email, 2, { status: 'ACTIVE' }),
    );
    expect(reactivated.body).toEqual({ applied: true });
    expect((await refresh(successor)).status).toBe(401);
  });
});

/**
 * A login checks the password before its transaction: a change committing in between must still end
 * the session it starts, or refuse it. Nothing can hold a login between the two, so this races them
 * 20 times (without the fix, 13 and 15 of 20 logins outlived the change in two runs).
 */
describe('a login racing a password change', () => {
  const auth = useAuthService();

  it('issues no session with the old password that outlives the change', async () => {
    const outlived: number[] = [];
    for (let trial = 0; trial < 20; trial++) {
      const email = uniqueEmail('race');
      const userId = await createCredential(auth, email);
      const [login, change] = await Promise.all([
        auth.post('/api/auth/login', { email, password: PASSWORD, tokenDelivery: 'body' }),
        auth.post(`/internal/credentials/${userId}/password`, {
          currentPassword: PASSWORD,
          newPassword: 'Fresh123!',
        }),
      ]);
      expect(change.status).toBe(204);
      if (login.status !== 200) {
        expect(login.status).toBe(401);
        continue;
      }
      const refreshed = await auth.post('/api/auth/refresh', { refreshToken: login.body.refreshToken });
      if (refreshed.status === 200) outlived.push(trial);
    }
    expect(outlived).toEqual([]);
  });
});
