import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, type Service, sql } from '@sagamart/kit';
import { eventually, type JsonClient, startTestService, waitForLockWaiters } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import gateway from '../../gateway/src/index.ts';
import {
  claimsOf,
  client,
  createCredential,
  type Json,
  PASSWORD,
  startAuth,
  uniqueEmail,
  useAuthService,
} from './support.ts';

async function signIn(auth: JsonClient) {
  const email = uniqueEmail('order');
  await createCredential(auth, email);
  const res = await auth.post('/api/auth/login', { email, password: PASSWORD, tokenDelivery: 'body' });
  expect(res.status).toBe(200);
  const tokens = res.body as { accessToken: string; refreshToken: string };
  return { ...tokens, sessionId: claimsOf(tokens.accessToken).claims.sid as string };
}

/**
 * Inserts, in a transaction of the test's own left open, an entry numbered as the next revocation
 * will be: that revocation draws the number and then waits on this row (the unique index) until
 * `rollback`, holding its transaction open between drawing its number and committing.
 */
async function holdNextNumber(db: Kysely<Json>) {
  const trx = await db.startTransaction().execute();
  await sql`insert into access_revocations (seq, user_id, expires_at)
    select coalesce(pg_sequence_last_value('access_revocations_seq_seq'), 0) + 1, gen_random_uuid(), now()
    `.execute(trx);
  return trx;
}

/**
 * A revocation's sequence number is drawn before its transaction commits, so a later one can be read
 * first. Here logout A draws its number and is held before it commits; logout B draws the next one
 * and commits; the gateway reads B; A commits only after more than the 10 s the feed used to re-serve
 * recent entries for. The gateway must still refuse A's token: the feed may not skip an entry that
 * commits late, however late.
 */
describe('a revocation that commits after a later one was read', () => {
  let auth: Service<unknown>;
  let gw: Service<unknown>;
  const db = () => auth.context.db as Kysely<Json>;

  beforeAll(async () => {
    auth = await startAuth();
    gw = await startTestService(gateway, {
      config: {
        database: { url: '' },
        discovery: { mode: 'static', static: { 'auth-service': auth.url } },
        gateway: {
          // Any route that needs a signed-in user will do: the check under test is the gateway's.
          routes: [{ id: 'keys', path: '/api/auth/.well-known', service: 'auth-service', role: 'USER' }],
          revocations: { pollMs: 200, listenedPollMs: 200 },
          jwks: { minReloadIntervalMs: 0 },
        },
      },
    });
  });
  afterAll(async () => {
    await gw?.stop();
    await auth?.stop();
  });

  const throughGateway = (accessToken: string) =>
    client(gw).get('/api/auth/.well-known/jwks.json', { authorization: `Bearer ${accessToken}` });

  /** Waits (bounded) for the gateway to refuse a token it took before. */
  async function refusedSoon(accessToken: string) {
    const refused = await eventually(async () => {
      const res = await throughGateway(accessToken);
      return res.status === 401 ? res : undefined;
    }, 5_000);
    expect(refused.body.detail).toContain('the session has ended');
  }

  it('is still applied by a gateway that read the later one', async () => {
    const a = await signIn(client(auth));
    const b = await signIn(client(auth));
    expect((await throughGateway(a.accessToken)).status).toBe(200);
    expect((await throughGateway(b.accessToken)).status).toBe(200);

    const held = await holdNextNumber(db());
    const aStarted = Date.now();
    const loggingOutA = client(auth).post('/api/auth/logout', { refreshToken: a.refreshToken });
    await waitForLockWaiters(db(), 1);
    expect((await client(auth).post('/api/auth/logout', { refreshToken: b.refreshToken })).status).toBe(204);
    await refusedSoon(b.accessToken);

    // Past the window the feed used to re-serve recent entries for (measured from A's start).
    await sleep(Math.max(0, aStarted + 11_000 - Date.now()));
    await held.rollback().execute();
    expect((await loggingOutA).status).toBe(204);
    await refusedSoon(a.accessToken);
  });
});

describe('the revocation feed, read by cursor', () => {
  const auth = useAuthService();
  const db = () => auth.service.context.db as Kysely<Json>;
  const read = async (cursor: string, limit = 1000) => {
    const res = await auth.get(`/internal/revocations?cursor=${cursor}&limit=${limit}`);
    expect(res.status).toBe(200);
    return res.body as { revocations: Array<{ sessionId: string | null }>; cursor: string };
  };
  const logOut = async (refreshToken: string) =>
    expect((await auth.post('/api/auth/logout', { refreshToken })).status).toBe(204);

  it('serves an entry that commits late to the cursor read while it was running', async () => {
    const a = await signIn(auth);
    const b = await signIn(auth);
    const held = await holdNextNumber(db());
    const loggingOutA = auth.post('/api/auth/logout', { refreshToken: a.refreshToken });
    await waitForLockWaiters(db(), 1);
    await logOut(b.refreshToken);
    const first = await read('0');
    const sessions = first.revocations.map((r) => r.sessionId);
    expect(sessions).toContain(b.sessionId);
    expect(sessions).not.toContain(a.sessionId);

    await held.rollback().execute();
    expect((await loggingOutA).status).toBe(204);
    expect((await read(first.cursor)).revocations.map((r) => r.sessionId)).toContain(a.sessionId);
  });

  it('pages through every entry, and reads from the start with a cursor of another database', async () => {
    const signedIn = [];
    for (let i = 0; i < 5; i++) signedIn.push(await signIn(auth));
    for (const s of signedIn) await logOut(s.refreshToken);
    const wanted = signedIn.map((s) => s.sessionId);

    const paged: Array<string | null> = [];
    let cursor = '0';
    for (;;) {
      const page = await read(cursor, 2);
      paged.push(...page.revocations.map((r) => r.sessionId));
      cursor = page.cursor;
      if (page.revocations.length < 2) break;
    }
    expect(paged).toEqual(expect.arrayContaining(wanted));

    const foreign = await read('9999999999999999999');
    expect(foreign.revocations.map((r) => r.sessionId)).toEqual(expect.arrayContaining(wanted));
    // Gateways released before the cursor read by `after`, and get no cursor.
    const bySeq = await auth.get('/internal/revocations?after=0');
    expect(bySeq.status).toBe(200);
    expect(bySeq.body.cursor).toBeUndefined();
    expect(bySeq.body.revocations.map((r: { sessionId: string }) => r.sessionId)).toEqual(
      expect.arrayContaining(wanted),
    );
    for (const bad of ['abc', '1.2', '-1', '12345678901234567890'])
      expect((await auth.get(`/internal/revocations?cursor=${bad}`)).status).toBe(400);
  });
});
