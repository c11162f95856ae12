import { badRequest, fetchPage, type ServiceContext } from '@sagamart/kit';
import { balanceAfter, chargeProblem } from '../domain/points.ts';
import type { UserDb } from '../infra/schema.ts';
import type { Users } from './users.ts';
import { toLedgerEntry } from './views.ts';

/** The points balance and its ledger. */
export class Points {
  constructor(
    private readonly ctx: ServiceContext<UserDb>,
    private readonly users: Users,
  ) {}

  async mine(userId: string, page: number, size: number) {
    await this.users.usableUser(this.ctx.db, userId);
    const db = this.ctx.db;
    const [account, ledger] = await Promise.all([
      db.selectFrom('point_accounts').select('balance').where('user_id', '=', userId).executeTakeFirst(),
      fetchPage(
        db.selectFrom('point_ledger').where('user_id', '=', userId),
        (q) => q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'),
        { page, size },
        (rows) => rows.map(toLedgerEntry),
      ),
    ]);
    return { balance: account?.balance ?? 0, ledger };
  }

  /** A mock top-up: positive, at most `points.maxCharge` (refreshable), one ledger row. */
  async charge(userId: string, amount: number) {
    const problem = chargeProblem(amount, this.ctx.config.number('points.maxCharge'));
    if (problem) throw badRequest(problem, [{ field: 'amount', message: problem }]);
    return this.ctx.transaction(async (trx) => {
      await this.users.usableUser(trx, userId);
      // The row lock serialises movements of one user, so balance_after is exact.
      const account = await trx
        .selectFrom('point_accounts')
        .select('balance')
        .where('user_id', '=', userId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const balance = balanceAfter(account.balance, amount);
      await trx
        .updateTable('point_accounts')
        .set({ balance, updated_at: new Date() })
        .where('user_id', '=', userId)
        .execute();
      const entry = await trx
        .insertInto('point_ledger')
        .values({ user_id: userId, type: 'CHARGE', amount, balance_after: balance, reason: 'Points top-up' })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { balance, entry: toLedgerEntry(entry) };
    });
  }
}
