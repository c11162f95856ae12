import { type Kysely, type Service, sql } from '@sagamart/kit';
import { holdLocks, lockWaiters, waitForLockWaiters } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatDb } from '../src/index.ts';
import { agentOnline, chatApi, deployment, eventually, OpenSockets, person, startChat } from './support.ts';

/**
 * An instance reports its agents when one's first socket opens or last one closes, and on a heartbeat,
 * each report replacing the one before. Reports land in the order they read the sockets: one read
 * earlier and slower to write never lands after a later one, which would take an agent who reloaded
 * offline while connected (offered nothing, refused as a transfer target) until the next heartbeat.
 */
describe('chat-service: an agent who reloads the console', () => {
  let service: Service<ChatDb>;
  let chat: ReturnType<typeof chatApi>;
  const sockets = new OpenSockets();
  const db = () => service.context.db as Kysely<ChatDb>;

  beforeAll(async () => {
    // The heartbeat a minute apart: what the test sees is the sockets' reports, not the next beat.
    service = await startChat(deployment({ chat: { presence: { heartbeatMs: 60_000, leaseMs: 120_000 } } }));
    chat = chatApi(service);
  });
  afterAll(async () => {
    sockets.closeAll();
    await service?.stop();
  });

  it('stays online and is offered the queue when the closed socket’s report is slower than the new one’s', async () => {
    const agent = person('AGENT');
    const before = await sockets.open(service, agent);
    await agentOnline(service, agent);
    const leaseEnd = async () =>
      (
        await db()
          .selectFrom('agent_presence')
          .select('expires_at')
          .where('agent_id', '=', agent.userId)
          .executeTakeFirst()
      )?.expires_at.getTime() ?? 0;
    const reported = await leaseEnd();

    // The closed socket's report (no agents) deletes the agent's row: it waits on a key-share lock of
    // the test's own, which lets a report that only renews the row (the new socket's) through.
    const row = await holdLocks(db(), (trx) =>
      sql`select agent_id from agent_presence where agent_id = ${agent.userId} for key share`.execute(trx),
    );
    before.close();
    await waitForLockWaiters(db(), 1);
    await sockets.open(service, agent);
    // The new socket's report has reached the database: written, or waiting for its turn.
    await eventually(async () => (await leaseEnd()) > reported || (await lockWaiters(db())) >= 2);
    await row.release();
    // The slower report has landed (a share lock on the table waits for the writers under way).
    const landed = await holdLocks(db(), (trx) => sql`lock table agent_presence in share mode`.execute(trx));
    await landed.release();

    await agentOnline(service, agent);
    const customer = person();
    const { body: opened } = await chat.open(customer);
    const taken = await eventually(async () => {
      const view = (await chat.get(customer, opened.id)).body;
      return view.assigneeId === agent.userId ? view : undefined;
    });
    expect(taken.status).toBe('OPEN');
  });
});
