import type { Kysely } from '@sagamart/kit';
import { sql } from '@sagamart/kit';
import { Redis } from 'ioredis';
import type { ChatDb } from './schema.ts';

/**
 * Which agents hold a /ws/chat socket, across every instance. Each instance reports its own agents
 * and renews them on a heartbeat, so an instance that dies takes its agents offline within one lease,
 * and a restarted service finds the other instances' agents still online.
 */
export interface PresenceStore {
  /** This instance's agents now (replaces what it reported before), renewed for `leaseMs`. */
  report(agents: ReadonlyMap<string, number>, leaseMs: number): Promise<void>;
  online(): Promise<string[]>;
  /** Forgets this instance's agents (a clean stop). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** Presence in the service's database (without Redis). */
export class PostgresPresence implements PresenceStore {
  constructor(
    private readonly db: Kysely<ChatDb>,
    private readonly instanceId: string,
  ) {}

  async report(agents: ReadonlyMap<string, number>, leaseMs: number): Promise<void> {
    const expires = new Date(Date.now() + leaseMs);
    await this.db.transaction().execute(async (trx) => {
      let remove = trx.deleteFrom('agent_presence').where('instance_id', '=', this.instanceId);
      if (agents.size > 0) remove = remove.where('agent_id', 'not in', [...agents.keys()]);
      await remove.execute();
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
    await this.db.deleteFrom('agent_presence').where('instance_id', '=', this.instanceId).execute();
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

  async report(agents: ReadonlyMap<string, number>, leaseMs: number): Promise<void> {
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
