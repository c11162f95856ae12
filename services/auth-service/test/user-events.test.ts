import { randomUUID } from 'node:crypto';
import { HEADER, type OutgoingMessage, type Service } from '@sagamart/kit';
import { eventually, scrapeMetrics } from '@sagamart/testkit';
import { describe, expect, it } from 'vitest';
import { asUser, createCredential, PASSWORD, snapshot, uniqueEmail, useAuthService } from './support.ts';

/** Handled deliveries per event name (applied, ignored as stale, or deduplicated by the inbox). */
async function handledCount(service: Service<unknown>, event: string): Promise<number> {
  const text = await scrapeMetrics(service.url);
  return text
    .split('\n')
    .filter((line) => line.startsWith('events_consumed_total{') && line.includes(`event="${event}"`))
    .filter((line) => /result="(ok|duplicate)"/.test(line))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

function message(topic: string, payload: unknown, id = randomUUID()): OutgoingMessage {
  return {
    id,
    topic,
    headers: { [HEADER.messageId]: id, [HEADER.event]: topic, [HEADER.version]: '1' },
    payload,
  };
}

describe('auth-service consuming user events', () => {
  const auth = useAuthService();

  /** Publishes one message and waits until auth has handled it. */
  async function deliver(msg: OutgoingMessage) {
    const before = await handledCount(auth.service, msg.topic);
    await auth.service.context.transport!.publish([msg]);
    await eventually(async () => (await handledCount(auth.service, msg.topic)) > before);
  }

  it('applies each change once and ignores duplicates and stale versions', async () => {
    const email = uniqueEmail();
    const userId = await createCredential(auth, email);
    const { changes: _c, updatedAt: _u, ...base } = snapshot(userId, email, 1);

    await deliver(message('user.registered', { ...base, registeredAt: new Date().toISOString() }));
    expect((await auth.get(`/internal/accounts/${userId}`)).body).toMatchObject({
      version: 1,
      confirmed: true,
      status: 'ACTIVE',
    });

    const suspended = message('user.updated', snapshot(userId, email, 2, { status: 'SUSPENDED' }));
    await deliver(suspended);
    expect((await auth.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(403);

    // The same message again: the inbox drops it.
    await deliver(suspended);
    // The same version under another message id: the version check drops it.
    await deliver(
      message(
        'user.updated',
        snapshot(userId, email, 2, { status: 'ACTIVE', role: 'ADMIN', changes: ['role'] }),
      ),
    );
    // An older version arriving late: ignored.
    await deliver(
      message('user.updated', snapshot(userId, email, 1, { status: 'ACTIVE', changes: ['status'] })),
    );

    expect((await auth.get(`/internal/accounts/${userId}`)).body).toMatchObject({
      version: 2,
      status: 'SUSPENDED',
      role: 'USER',
    });
    expect((await auth.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(403);

    // A newer version still applies.
    await deliver(
      message(
        'user.updated',
        snapshot(userId, email, 3, { status: 'ACTIVE', role: 'ADMIN', changes: ['status', 'role'] }),
      ),
    );
    expect((await auth.get(`/internal/accounts/${userId}`)).body).toMatchObject({
      version: 3,
      status: 'ACTIVE',
      role: 'ADMIN',
    });
    expect((await auth.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(200);
  });

  it('an event and the synchronous push of the same change apply once, in either order', async () => {
    const email = uniqueEmail();
    const userId = await createCredential(auth, email);
    const change = snapshot(userId, email, 1, { status: 'INACTIVE' });
    expect((await auth.put(`/internal/accounts/${userId}`, change)).body).toEqual({ applied: true });
    await deliver(message('user.updated', change));
    expect((await auth.put(`/internal/accounts/${userId}`, change)).body).toEqual({ applied: false });
    expect((await auth.get(`/internal/accounts/${userId}`)).body).toMatchObject({
      version: 1,
      status: 'INACTIVE',
    });
  });

  it('learns about a user from events alone (no credential yet): no login possible', async () => {
    const email = uniqueEmail();
    const userId = randomUUID();
    await deliver(message('user.updated', snapshot(userId, email, 4, { changes: ['profile'] })));
    expect((await auth.get(`/internal/accounts/${userId}`)).body).toMatchObject({
      version: 4,
      hasPassword: false,
    });
    expect((await auth.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(401);
  });

  it('reads only what the contract names: a field it does not know, even a password hash, is never used', async () => {
    const email = uniqueEmail();
    const userId = randomUUID();
    const extra = message('user.updated', { ...snapshot(userId, email, 1), passwordHash: '$scrypt$...' });
    await auth.service.context.transport!.publish([extra]);
    const account = await eventually(async () => {
      const answer = await auth.get(`/internal/accounts/${userId}`);
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(account).toMatchObject({ version: 1, hasPassword: false });
    expect((await auth.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(401);
  });

  it('dead-letters an event that breaks the contract (a field of the wrong type)', async () => {
    const email = uniqueEmail();
    const userId = randomUUID();
    const poisoned = message('user.updated', { ...snapshot(userId, email, 1), version: 'one' });
    await auth.service.context.transport!.publish([poisoned]);
    const admin = asUser(randomUUID(), 'ADMIN');
    const letters = await eventually(async () => {
      const page = (await auth.get('/admin/dead-letters', admin)).body as {
        content: Array<{ messageId: string; error: string }>;
      };
      return page.content.find((l) => l.messageId === poisoned.id);
    });
    expect(letters?.error).toContain('contract violation');
    expect((await auth.get(`/internal/accounts/${userId}`)).status).toBe(404);
  });
});
