import type { Transaction } from '@sagamart/kit';
import type { NotificationDb } from './schema.ts';

type Trx = Transaction<NotificationDb>;

/**
 * Who is an admin, as user-service's user.registered and user.updated events say (never its tables).
 * The highest version of each user wins, so duplicates and late deliveries change nothing.
 */
export class KnownUsers {
  async apply(trx: Trx, user: { userId: string; version: number; isAdmin: boolean }): Promise<void> {
    await trx
      .insertInto('known_users')
      .values({ user_id: user.userId, version: user.version, is_admin: user.isAdmin })
      .onConflict((oc) =>
        oc
          .column('user_id')
          .doUpdateSet((eb) => ({
            version: eb.ref('excluded.version'),
            is_admin: eb.ref('excluded.is_admin'),
            updated_at: new Date(),
          }))
          .whereRef('known_users.version', '<', 'excluded.version'),
      )
      .execute();
  }

  async admins(trx: Trx): Promise<string[]> {
    const rows = await trx.selectFrom('known_users').select('user_id').where('is_admin', '=', true).execute();
    return rows.map((r) => r.user_id);
  }
}
