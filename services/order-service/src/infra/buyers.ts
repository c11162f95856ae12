import type { Db } from './order-store.ts';

/** A user as user.registered / user.updated carry them (the parts the admin's order pages show). */
export interface BuyerSnapshot {
  userId: string;
  email: string;
  name: string;
  version: number;
}

/** Keeps the newest version of each buyer (duplicates and late deliveries change nothing). */
export async function applyBuyer(db: Db, user: BuyerSnapshot): Promise<void> {
  await db
    .insertInto('buyers')
    .values({ user_id: user.userId, email: user.email, name: user.name, version: user.version })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet((eb) => ({
          email: eb.ref('excluded.email'),
          name: eb.ref('excluded.name'),
          version: eb.ref('excluded.version'),
        }))
        .where('buyers.version', '<', user.version),
    )
    .execute();
}

/** Names and e-mails of some users, by id (those order-service has not heard of are left out). */
export async function buyersOf(
  db: Db,
  userIds: string[],
): Promise<Map<string, { name: string; email: string }>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('buyers')
    .select(['user_id', 'name', 'email'])
    .where('user_id', 'in', [...new Set(userIds)])
    .execute();
  return new Map(rows.map((r) => [r.user_id, { name: r.name, email: r.email }]));
}
