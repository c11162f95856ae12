import {
  POINTS_INSUFFICIENT,
  type PointsBalance,
  type PointsReservation,
  type PointsReservationRequest,
} from '@sagamart/contracts';
import {
  conflict,
  lockForTransaction,
  type MessagingTables,
  notFound,
  Problem,
  type ServiceContext,
  sql,
  type Transaction,
} from '@sagamart/kit';
import {
  accountAfter,
  cashBackedReturn,
  cashBackedSpend,
  InsufficientPoints,
  type PointsAccount,
  type ReservationAction,
  type ReservationStep,
  reservationStep,
  storedAccount,
} from '../domain/points.ts';
import type { UserDb } from '../infra/schema.ts';
import type { Points } from './points.ts';
import type { Users } from './users.ts';

type Trx = Transaction<UserDb & MessagingTables>;
type Change = Extract<ReservationStep, { kind: 'apply' }>;
interface ReservationRow {
  order_id: string;
  /** The number the reserve named the order by (none for a tombstone, or one reserved before it was kept). */
  order_number?: string | null;
  user_id: string | null;
  amount: number;
  /** The part of `amount` spent from paid-for points and not given back yet (domain/points.ts). */
  cash_backed: number;
  state: PointsReservation['state'];
}

/**
 * Points reservations for the order saga: reserve, commit, release, each idempotent by orderId and
 * each writing one ledger row when it changes something. Every step of one order runs under an
 * advisory lock on the order id, and balance changes under the account's row lock, so a retried
 * step racing its original, or a release racing a late reserve, is serialised. An order spends earned
 * points first and remembers how many paid-for ones it took, to give those back as paid-for points
 * (domain/points.ts).
 */
export class PointReservations {
  constructor(
    private readonly ctx: ServiceContext<UserDb>,
    private readonly users: Users,
    private readonly points: Points,
  ) {}

  async balance(userId: string): Promise<PointsBalance> {
    const account = await this.ctx.db
      .selectFrom('point_accounts')
      .select('balance')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!account) throw notFound('No such user');
    return { userId, balance: account.balance };
  }

  async get(orderId: string): Promise<PointsReservation> {
    const row = await this.ctx.db
      .selectFrom('point_reservations')
      .selectAll()
      .where('order_id', '=', orderId)
      .executeTakeFirst();
    if (!row) throw notFound(`No points reservation for order ${orderId}`);
    return this.view(this.ctx.db as unknown as Trx, row);
  }

  reserve(request: PointsReservationRequest): Promise<PointsReservation> {
    return this.step(
      request.orderId,
      'reserve',
      async (trx, _current, change) => {
        await this.users.usableUser(trx, request.userId);
        const label = request.orderNumber ?? request.orderId;
        const paidFor = await this.move(
          trx,
          request.userId,
          request.orderId,
          change,
          request.amount,
          `Used for order ${label}`,
          (account) => -cashBackedSpend(account, request.amount),
        );
        return this.save(trx, {
          order_id: request.orderId,
          order_number: request.orderNumber ?? null,
          user_id: request.userId,
          amount: request.amount,
          cash_backed: -paidFor,
          state: change.next,
        });
      },
      (current) => {
        // A repeat must be the same request; a tombstone (released first) answers as is.
        if (
          current.user_id !== null &&
          (current.user_id !== request.userId || current.amount !== request.amount)
        ) {
          throw conflict(`Order ${request.orderId} already reserved other points`, 'reservation-mismatch');
        }
      },
    );
  }

  commit(orderId: string): Promise<PointsReservation> {
    return this.step(orderId, 'commit', async (trx, current, change) => {
      await this.move(trx, current!.user_id!, orderId, change, current!.amount, `Order ${orderId} paid`);
      return this.save(trx, { ...current!, state: change.next });
    });
  }

  release(orderId: string): Promise<PointsReservation> {
    return this.step(orderId, 'release', async (trx, current, change) => {
      await this.move(
        trx,
        current!.user_id!,
        orderId,
        change,
        current!.amount,
        `Returned: order ${current!.order_number ?? orderId} cancelled`,
        () => current!.cash_backed,
      );
      return this.save(trx, { ...current!, cash_backed: 0, state: change.next });
    });
  }

  /**
   * return.completed: the points paid for the returned lines come back, once per claim (inside the
   * event's transaction), as paid-for points as far as the order still holds paid-for ones.
   */
  async returned(
    trx: Trx,
    event: { claimId: string; orderId: string; orderNumber: string; userId: string; pointsRefund: number },
  ): Promise<void> {
    if (event.pointsRefund <= 0) return;
    await lockForTransaction(trx, `points-order:${event.orderId}`);
    const reservation = await trx
      .selectFrom('point_reservations')
      .select(['user_id', 'cash_backed'])
      .where('order_id', '=', event.orderId)
      .executeTakeFirst();
    // No reservation of this user's: nothing says the points were paid for, so they come back earned.
    const spent = reservation?.user_id === event.userId ? reservation.cash_backed : 0;
    const paidFor = cashBackedReturn(event.pointsRefund, spent);
    const credited = await this.points.creditOnce(trx, event.userId, event.pointsRefund, paidFor, {
      type: 'RETURN',
      reason: `Returned from order ${event.orderNumber}`,
      order_id: event.claimId,
    });
    if (credited && paidFor > 0) {
      await trx
        .updateTable('point_reservations')
        .set({ cash_backed: spent - paidFor, updated_at: sql`clock_timestamp()` })
        .where('order_id', '=', event.orderId)
        .execute();
    }
  }

  /** Runs one step under the order's lock; `apply` is called only when the step changes something. */
  private step(
    orderId: string,
    action: ReservationAction,
    apply: (trx: Trx, current: ReservationRow | undefined, change: Change) => Promise<ReservationRow>,
    checkRepeat?: (current: ReservationRow) => void,
  ): Promise<PointsReservation> {
    return this.ctx.transaction(async (trx) => {
      await lockForTransaction(trx, `points-order:${orderId}`);
      const current = await trx
        .selectFrom('point_reservations')
        .selectAll()
        .where('order_id', '=', orderId)
        .executeTakeFirst();
      const step = reservationStep(current?.state, action);
      switch (step.kind) {
        case 'missing':
          throw notFound(`No points reservation for order ${orderId}`);
        case 'conflict':
          throw conflict(
            `Order ${orderId}'s points are already ${current!.state}`,
            `reservation-${current!.state.toLowerCase()}`,
          );
        case 'same':
          checkRepeat?.(current!);
          return this.view(trx, current!);
        case 'tombstone':
          return this.view(
            trx,
            await this.save(trx, {
              order_id: orderId,
              user_id: null,
              amount: 0,
              cash_backed: 0,
              state: 'RELEASED',
            }),
          );
        case 'apply':
          return this.view(trx, await apply(trx, current, step));
      }
    });
  }

  /**
   * One ledger row and the new balance, under the account's row lock (the balance never goes
   * negative); `paidFor(account)` of the movement (signed alike) is on the paid-for points, and is
   * the answer.
   */
  private async move(
    trx: Trx,
    userId: string,
    orderId: string,
    change: Change,
    points: number,
    reason: string,
    paidFor: (account: PointsAccount) => number = () => 0,
  ): Promise<number> {
    const amount = change.sign * points;
    const row = await trx
      .selectFrom('point_accounts')
      .select(['balance', 'cash_backed'])
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('No such user');
    const account = storedAccount(row);
    let balance = account.balance;
    let cashBacked = 0;
    if (amount !== 0) {
      cashBacked = paidFor(account);
      let next: PointsAccount;
      try {
        next = accountAfter(account, amount, cashBacked);
      } catch (error) {
        if (error instanceof InsufficientPoints) {
          throw new Problem(409, `Insufficient points: balance ${account.balance}, ${-amount} requested`, {
            code: POINTS_INSUFFICIENT,
            extensions: { balance: account.balance },
          });
        }
        throw error;
      }
      balance = next.balance;
      await trx
        .updateTable('point_accounts')
        .set({ balance, cash_backed: next.cashBacked, updated_at: sql`clock_timestamp()` })
        .where('user_id', '=', userId)
        .execute();
    }
    await trx
      .insertInto('point_ledger')
      .values({
        user_id: userId,
        type: change.ledger,
        amount,
        balance_after: balance,
        reason,
        order_id: orderId,
      })
      .execute();
    return cashBacked;
  }

  private async save(trx: Trx, row: ReservationRow): Promise<ReservationRow> {
    await trx
      .insertInto('point_reservations')
      .values(row)
      .onConflict((oc) =>
        oc.column('order_id').doUpdateSet({
          state: row.state,
          cash_backed: row.cash_backed,
          updated_at: sql`clock_timestamp()`,
        }),
      )
      .execute();
    return row;
  }

  private async view(db: Trx, row: ReservationRow): Promise<PointsReservation> {
    const account = row.user_id
      ? await db
          .selectFrom('point_accounts')
          .select('balance')
          .where('user_id', '=', row.user_id)
          .executeTakeFirst()
      : undefined;
    return {
      orderId: row.order_id,
      state: row.state,
      userId: row.user_id,
      amount: row.amount,
      balance: account?.balance ?? null,
    };
  }
}
