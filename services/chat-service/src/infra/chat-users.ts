import type { UserRole, UserStatus } from '@sagamart/contracts';
import type { Identity, Kysely, Transaction } from '@sagamart/kit';
import type { ChatDb } from './schema.ts';

type Db = Kysely<ChatDb>;

export interface ChatUser {
  userId: string;
  version: number;
  name: string;
  email: string;
  role: UserRole;
  status: UserStatus;
}

/**
 * Names and roles of users, as user-service's user.registered and user.updated events say (never its
 * tables); the highest version wins. A user who acts before their event arrived is recorded from
 * their token (version 0, named by their e-mail), so names are never missing.
 */
export class ChatUsers {
  constructor(private readonly db: Db) {}

  async apply(db: Db | Transaction<ChatDb>, user: ChatUser): Promise<void> {
    await db
      .insertInto('chat_users')
      .values({
        user_id: user.userId,
        version: user.version,
        name: user.name,
        email: user.email,
        role: user.role,
        status: user.status,
      })
      .onConflict((oc) =>
        oc
          .column('user_id')
          .doUpdateSet((eb) => ({
            version: eb.ref('excluded.version'),
            name: eb.ref('excluded.name'),
            email: eb.ref('excluded.email'),
            role: eb.ref('excluded.role'),
            status: eb.ref('excluded.status'),
          }))
          .whereRef('chat_users.version', '<', 'excluded.version'),
      )
      .execute();
  }

  /** Records a user from their verified identity unless user-service's events already told us about them. */
  async seen(identity: Identity): Promise<void> {
    await this.db
      .insertInto('chat_users')
      .values({
        user_id: identity.userId,
        version: 0,
        name: identity.email.split('@')[0] || identity.email,
        email: identity.email,
        role: identity.role,
        status: 'ACTIVE',
      })
      .onConflict((oc) =>
        oc
          .column('user_id')
          .doUpdateSet({ role: identity.role })
          .where('chat_users.version', '=', 0)
          .where('chat_users.role', '<>', identity.role),
      )
      .execute();
  }

  async names(ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('chat_users')
      .select(['user_id', 'name'])
      .where('user_id', 'in', wanted)
      .execute();
    return new Map(rows.map((r) => [r.user_id, r.name]));
  }

  /** An active agent or admin, or undefined. */
  async agent(userId: string): Promise<ChatUser | undefined> {
    const row = await this.db
      .selectFrom('chat_users')
      .selectAll()
      .where('user_id', '=', userId)
      .where('role', 'in', ['AGENT', 'ADMIN'])
      .where('status', '=', 'ACTIVE')
      .executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  /** Those of `ids` who may answer chats now: an AGENT or ADMIN role, ACTIVE. */
  async activeAgents(ids: readonly string[], db: Db | Transaction<ChatDb> = this.db): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('chat_users')
      .select('user_id')
      .where('user_id', 'in', ids)
      .where('role', 'in', ['AGENT', 'ADMIN'])
      .where('status', '=', 'ACTIVE')
      .execute();
    const allowed = new Set(rows.map((r) => r.user_id));
    return ids.filter((id) => allowed.has(id));
  }

  async agents(): Promise<ChatUser[]> {
    const rows = await this.db
      .selectFrom('chat_users')
      .selectAll()
      .where('role', 'in', ['AGENT', 'ADMIN'])
      .where('status', '=', 'ACTIVE')
      .orderBy('name')
      .limit(1_000)
      .execute();
    return rows.map(toUser);
  }
}

function toUser(row: ChatDb['chat_users']): ChatUser {
  return {
    userId: row.user_id,
    version: row.version,
    name: row.name,
    email: row.email,
    role: row.role,
    status: row.status,
  };
}
