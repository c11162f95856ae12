import { fetchPage, type ServiceContext, type Transaction } from '@sagamart/kit';
import { accountAfter, type PointMovementType, type PointsAccount, storedAccount } from '../domain/points.ts';
import type { UserDb } from '../infra/schema.ts';
import type { Users } from './users.ts';
import { toLedgerEntry } from './views.ts';

/** The points balance and its ledger. */
export class Points {
  constructor(
    private readonly ctx: ServiceContext<UserDb>,
    private readonly users: Users,
  ) {}

  /**
   * The shopper's balance and a page of their ledger's movements. A COMMIT row (an order's reserved
   * points becoming final) moves nothing and is left out here, in the query, so every page is full
   * and the totals count what is shown; it stays in the table as the order's record and idempotency key.
   */
  async mine(userId: string, page: number, size: number) {
    await this.users.usableUser(this.ctx.db, userId);
    const db = this.ctx.db;
    const [account, ledger] = await Promise.all([
      db.selectFrom('point_accounts').select('balance').where('user_id', '=', userId).executeTakeFirst(),
      fetchPage(
        db.selectFrom('point_ledger').where('user_id', '=', userId).where('amount', '<>', 0),
        (q) => q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'),
        { page, size },
        (rows) => rows.map(toLedgerEntry),
      ),
    ]);
    return { balance: account?.balance ?? 0, ledger };
  }

  /**
   * Moves `amount` (signed) on the user's balance with one ledger row, inside `trx`, `cashBacked` of it
   * (signed alike) on the paid-for part (domain/points.ts); throws InsufficientPoints when the balance
   * would go negative. Answers the new balance.
   */
  async move(
    trx: Transaction<UserDb>,
    userId: string,
    amount: number,
    cashBacked: number,
    row: { type: PointMovementType; reason: string } & ({ charge_id: string } | { order_id: string }),
  ): Promise<number> {
    // The row lock serialises movements of one user, so balance_after is exact.
    const account = await lockAccount(trx, userId);
    const next = accountAfter(account, amount, cashBacked);
    await trx
      .updateTable('point_accounts')
      .set({ balance: next.balance, cash_backed: next.cashBacked, updated_at: new Date() })
      .where('user_id', '=', userId)
      .execute();
    await trx
      .insertInto('point_ledger')
      .values({ ...row, user_id: userId, amount, balance_after: next.balance })
      .execute();
    return next.balance;
  }

  /**
   * A credit that happens once per key (a claim, an order): nothing when a row of this type and key
   * exists (the unique ledger index backs it), `cashBacked` of it paid-for points. Inside the caller's
   * transaction; answers whether it credited.
   */
  async creditOnce(
    trx: Transaction<UserDb>,
    userId: string,
    amount: number,
    cashBacked: number,
    row: { type: 'RETURN' | 'EARN'; reason: string; order_id: string },
  ): Promise<boolean> {
    if (amount <= 0) return false;
    await lockAccount(trx, userId);
    const done = await trx
      .selectFrom('point_ledger')
      .select('id')
      .where('order_id', '=', row.order_id)
      .where('type', '=', row.type)
      .executeTakeFirst();
    if (done) return false;
    await this.move(trx, userId, amount, cashBacked, row);
    return true;
  }
}

/** The user's account, locked for the rest of `trx`: every movement of one user goes through it. */
export async function lockAccount(trx: Transaction<UserDb>, userId: string): Promise<PointsAccount> {
  const account = await trx
    .selectFrom('point_accounts')
    .select(['balance', 'cash_backed'])
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return storedAccount(account);
}
