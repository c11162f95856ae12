import { type Kysely, lockForTransaction, sql } from '@sagamart/kit';
import { Redis } from 'ioredis';
import type { ChatDb } from './schema.ts';

/**
 * Which agents hold a /ws/chat socket, across every instance. Each instance reports its own agents
 * and renews them on a heartbeat, so an instance that dies takes its agents offline within one lease,
 * and a restarted service finds the other instances' agents still online.
 */
export interface PresenceStore {
  /**
   * This instance's agents (replaces what it reported before), renewed for `leaseMs`. `agents` is read
   * once the instance's earlier reports are written, so that reports land in the order they read the
   * sockets: one read earlier never lands after a later one and undoes it (an agent who reloaded
   * offline while connected, or one who left still online).
   */
  report(agents: () => ReadonlyMap<string, number>, leaseMs: number): Promise<void>;
  online(): Promise<string[]>;
  /** Forgets this instance's agents (a clean stop). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** Presence in the service's database (without Redis). */
export class PostgresPresence implements PresenceStore {
  private readonly lockKey: string;

  constructor(
    private readonly db: Kysely<ChatDb>,
    private readonly instanceId: string,
  ) {
    this.lockKey = `sagamart.chat.presence.${instanceId}`;
  }

  async report(current: () => ReadonlyMap<string, number>, leaseMs: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // The instance's reports one at a time (on the pool's connections they would overtake each
      // other); the sockets are read once this one's turn has come.
      await lockForTransaction(trx, this.lockKey);
      const reported = await trx
        .selectFrom('agent_presence')
        .select('agent_id')
        .where('instance_id', '=', this.instanceId)
        .execute();
      const agents = current();
      const expires = new Date(Date.now() + leaseMs);
      const gone = reported.map((r) => r.agent_id).filter((agentId) => !agents.has(agentId));
      if (gone.length)
        await trx
          .deleteFrom('agent_presence')
          .where('instance_id', '=', this.instanceId)
          .where('agent_id', 'in', gone)
          .execute();
      if (agents.size === 0) return;
      await trx
        .insertInto('agent_presence')
        .values(
          [...agents].map(([agentId, connections]) => ({
            instance_id: this.instanceId,
            agent_id: agentId,
            connections,
            expires_at: expires,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['instance_id', 'agent_id']).doUpdateSet((eb) => ({
            connections: eb.ref('excluded.connections'),
            expires_at: eb.ref('excluded.expires_at'),
          })),
        )
        .execute();
    });
  }

  async online(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('agent_presence')
      .select('agent_id')
      .distinct()
      .where('expires_at', '>', sql<Date>`now()`)
      .execute();
    return rows.map((r) => r.agent_id);
  }

  async clear(): Promise<void> {
    // After any report under way: none lands after it.
    await this.db.transaction().execute(async (trx) => {
      await lockForTransaction(trx, this.lockKey);
      await trx.deleteFrom('agent_presence').where('instance_id', '=', this.instanceId).execute();
    });
    await this.db
      .deleteFrom('agent_presence')
      .where('expires_at', '<', sql<Date>`now() - interval '1 hour'`)
      .execute();
  }

  async close(): Promise<void> {}
}

/**
 * Presence in Redis (with REDIS_URL): one sorted set, member `agentId|instanceId`, scored by when the
 * lease ends (Redis's clock is not needed: every instance writes and reads with its own, within a lease).
 */
export class RedisPresence implements PresenceStore {
  private readonly redis: Redis;
  private readonly key: string;

  constructor(
    url: string,
    keyPrefix: string,
    private readonly instanceId: string,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 2_000, lazyConnect: false });
    this.redis.on('error', () => {});
    this.key = `${keyPrefix}agents`;
  }

  async report(current: () => ReadonlyMap<string, number>, leaseMs: number): Promise<void> {
    // One connection answers in order: a report's commands follow those of every report read before it.
    const agents = current();
    const now = Date.now();
    const mine = await this.mine();
    const multi = this.redis.multi();
    for (const member of mine) if (!agents.has(member.split('|')[0]!)) multi.zrem(this.key, member);
    for (const agentId of agents.keys()) multi.zadd(this.key, now + leaseMs, `${agentId}|${this.instanceId}`);
    multi.zremrangebyscore(this.key, '-inf', now);
    await multi.exec();
  }

  async online(): Promise<string[]> {
    const members = await this.redis.zrangebyscore(this.key, Date.now(), '+inf');
    return [...new Set(members.map((m) => m.split('|')[0]!))];
  }

  async clear(): Promise<void> {
    const mine = await this.mine();
    if (mine.length) await this.redis.zrem(this.key, ...mine);
  }

  private async mine(): Promise<string[]> {
    const all = await this.redis.zrange(this.key, 0, -1);
    return all.filter((m) => m.endsWith(`|${this.instanceId}`));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
