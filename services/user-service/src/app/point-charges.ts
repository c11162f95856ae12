import { randomInt } from 'node:crypto';
import {
  type PaymentApprovedPayload,
  type PaymentFailedPayload,
  type PaymentRefundedPayload,
  PointChargeCancelled,
  type PointChargeCancelledPayload,
  PointChargeRequested,
  pgOrderNumber,
} from '@sagamart/contracts';
import {
  afterCommit,
  conflict,
  fetchPage,
  type Kysely,
  notFound,
  Problem,
  type Selectable,
  type ServiceContext,
  sql,
  type Transaction,
} from '@sagamart/kit';
import { type ChargeTrigger, chargeMove, chargeOrderName, refundProblem } from '../domain/point-charge.ts';
import { CHARGE_ABOVE_MAX, chargeProblem, storedAccount } from '../domain/points.ts';
import type { UserDb } from '../infra/schema.ts';
import { lockAccount, type Points } from './points.ts';
import type { Users } from './users.ts';

type Trx = Transaction<UserDb>;
export type ChargeRow = Selectable<UserDb['point_charges']>;

/**
 * A charge as the shopper sees it. `cashBacked`: the account's paid-for points now, which decide
 * whether a PAID charge can still be refunded (the web offers the refund only then).
 */
export function toChargeView(row: ChargeRow, cashBacked: number) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    chargeId: row.id,
    chargeNumber: row.charge_number,
    amount: row.amount,
    status: row.status,
    /** The PG window's label, to start the checkout with. */
    orderName: chargeOrderName(row.amount),
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    createdAt: row.created_at.toISOString(),
    paidAt: iso(row.paid_at),
    refundRequestedAt: iso(row.refund_requested_at),
    refundedAt: iso(row.refunded_at),
    refundable: refundProblem(row.status, row.amount, cashBacked) === undefined,
  };
}

/** The paid-for points of the account, unlocked: for showing, never for deciding a refund. */
async function cashBackedOf(db: Kysely<UserDb>, userId: string): Promise<number> {
  const account = await db
    .selectFrom('point_accounts')
    .select(['balance', 'cash_backed'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return account ? storedAccount(account).cashBacked : 0;
}

const noSuchCharge = (chargeNumber: string) => notFound(`No points charge ${chargeNumber}`);

/**
 * Points bought through the PG: a charge is created PENDING and announced to payment-service, paid
 * through the hosted checkout and payment-service's confirm like an order, credited when
 * payment.approved arrives, expired when not paid in time or cancelled by the shopper, and refunded (points debited first) while
 * its points are unspent (earned points never count).
 */
export class PointCharges {
  private readonly createdListeners: Array<() => void> = [];

  constructor(
    private readonly ctx: ServiceContext<UserDb>,
    private readonly users: Users,
    private readonly points: Points,
  ) {}

  /** A new PENDING charge of `amount` won (at most `points.maxCharge`), to be paid at the PG. */
  async create(userId: string, amount: number) {
    const maxCharge = this.ctx.config.number('points.maxCharge');
    const problem = chargeProblem(amount, maxCharge);
    if (problem) {
      // Above the limit: the code and the limit in force, so the web can word it in the shopper's language.
      const aboveMax = Number.isSafeInteger(amount) && amount > maxCharge;
      throw new Problem(400, problem, {
        code: aboveMax ? CHARGE_ABOVE_MAX : 'bad-request',
        errors: [{ field: 'amount', message: problem }],
        ...(aboveMax ? { extensions: { maxCharge } } : {}),
      });
    }
    return this.ctx.transaction(async (trx) => {
      await this.users.usableUser(trx, userId);
      const charge = await trx
        .insertInto('point_charges')
        .values({
          charge_number: pgOrderNumber('PNT', new Date(), randomInt),
          user_id: userId,
          amount,
          status: 'PENDING',
          version: 1,
          payment_id: null,
          failure_code: null,
          failure_message: null,
          paid_at: null,
          refund_requested_at: null,
          refunded_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.ctx.publish(trx, PointChargeRequested, {
        chargeId: charge.id,
        chargeNumber: charge.charge_number,
        userId,
        amount,
        version: charge.version,
        orderName: chargeOrderName(amount),
        requestedAt: charge.created_at.toISOString(),
      });
      afterCommit(trx, () => {
        for (const listener of this.createdListeners) listener();
      });
      // PENDING: nothing to refund yet.
      return toChargeView(charge, 0);
    });
  }

  /** Calls `listener` after each charge created here commits (the expiry sweep learns its due time). */
  onCreated(listener: () => void): void {
    this.createdListeners.push(listener);
  }

  /**
   * Expires up to `limit` charges still PENDING longer than points.chargeTimeoutSeconds after they
   * were created, each announced with point.charge.cancelled (PAYMENT_TIMEOUT): payment-service
   * refuses their payment from then on and refunds one the PG approves late. Answers how many expired.
   */
  async expireUnpaid(limit: number): Promise<number> {
    const seconds = this.ctx.config.number('points.chargeTimeoutSeconds');
    const due = await this.ctx.db
      .selectFrom('point_charges')
      .select('id')
      .where('status', '=', 'PENDING')
      .where('created_at', '<', sql<Date>`clock_timestamp() - ${seconds} * interval '1 second'`)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    let expired = 0;
    for (const { id } of due) {
      const changed = await this.ctx.transaction(async (trx) => {
        const charge = await trx
          .selectFrom('point_charges')
          .selectAll()
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        // Paid or failed since the scan (or expired by another instance): leave it.
        if (!charge || !chargeMove(charge.status, 'expired')) return false;
        const moved = await this.moveTo(trx, charge, 'expired', {});
        await this.publishCancelled(trx, moved, 'PAYMENT_TIMEOUT');
        return true;
      });
      if (changed) expired++;
    }
    return expired;
  }

  async mine(userId: string, page: number, size: number) {
    await this.users.usableUser(this.ctx.db, userId);
    const cashBacked = await cashBackedOf(this.ctx.db, userId);
    return fetchPage(
      this.ctx.db.selectFrom('point_charges').where('user_id', '=', userId),
      (q) => q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'),
      { page, size },
      (rows) => rows.map((row) => toChargeView(row, cashBacked)),
    );
  }

  async one(userId: string, chargeNumber: string) {
    await this.users.usableUser(this.ctx.db, userId);
    const row = await this.ctx.db
      .selectFrom('point_charges')
      .selectAll()
      .where('charge_number', '=', chargeNumber)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) throw noSuchCharge(chargeNumber);
    return toChargeView(row, await cashBackedOf(this.ctx.db, userId));
  }

  /**
   * The shopper gives up an unpaid charge (closed the PG window): PENDING → CANCELLED, announced with
   * point.charge.cancelled (USER_CANCELLED) so payment-service refuses its payment from then on and
   * refunds one the PG approves late, as for an expired charge. Cancelling a cancelled charge again
   * answers it as it is; any other status is a 409.
   */
  async cancel(userId: string, chargeNumber: string) {
    return this.ctx.transaction(async (trx) => {
      const charge = await this.lockOwnCharge(trx, userId, chargeNumber);
      // Neither CANCELLED nor PENDING can be refunded: the paid-for points do not matter.
      if (charge.status === 'CANCELLED') return toChargeView(charge, 0);
      if (!chargeMove(charge.status, 'cancel')) {
        throw conflict(`A ${charge.status} charge cannot be cancelled.`, 'CHARGE_NOT_CANCELLABLE');
      }
      const moved = await this.moveTo(trx, charge, 'cancel', {});
      await this.publishCancelled(trx, moved, 'USER_CANCELLED');
      return toChargeView(moved, 0);
    });
  }

  /**
   * Refunds a paid charge whose points are unspent (the account's paid-for points still cover it,
   * domain/points.ts): debits them now (so they cannot be spent while the PG refund runs) and asks
   * payment-service to refund the payment through the PG.
   */
  async refund(userId: string, chargeNumber: string) {
    return this.ctx.transaction(async (trx) => {
      const charge = await this.lockOwnCharge(trx, userId, chargeNumber);
      // Locked until commit: an order cannot spend these points while the refund is decided.
      const account = await lockAccount(trx, userId);
      const problem = refundProblem(charge.status, charge.amount, account.cashBacked);
      if (problem) throw conflict(problem, 'CHARGE_NOT_REFUNDABLE');
      await this.points.move(trx, userId, -charge.amount, -charge.amount, {
        type: 'REFUND',
        reason: `Refund of charge ${charge.charge_number}`,
        charge_id: charge.id,
      });
      const moved = await this.moveTo(trx, charge, 'refund', { refund_requested_at: new Date() });
      await this.publishCancelled(trx, moved, 'REFUND_REQUESTED');
      // REFUND_REQUESTED: refunded already.
      return toChargeView(moved, 0);
    });
  }

  /** payment.approved of a charge: PENDING → PAID, and the points credited (once). */
  async paymentApproved(trx: Trx, event: PaymentApprovedPayload) {
    const charge = await this.lockForPayment(trx, event);
    if (!charge || !chargeMove(charge.status, 'approved')) {
      // payment-service refunds it: it heard of the expiry or the cancel (point.charge.cancelled)
      // before or after.
      if (charge?.status === 'EXPIRED' || charge?.status === 'CANCELLED')
        this.ctx.log.info(
          { chargeId: charge.id, status: charge.status },
          'payment approved for an expired or cancelled charge; not credited',
        );
      return;
    }
    if (event.amount !== charge.amount) {
      // payment-service never approves another amount; should it, nothing is credited.
      this.ctx.log.error(
        { chargeId: charge.id, amount: event.amount },
        'approved amount differs from the charge',
      );
      return;
    }
    await this.points.move(trx, charge.user_id, charge.amount, charge.amount, {
      type: 'CHARGE',
      reason: `Charge ${charge.charge_number}`,
      charge_id: charge.id,
    });
    await this.moveTo(trx, charge, 'approved', {
      payment_id: event.paymentId,
      paid_at: new Date(event.approvedAt),
    });
  }

  /** payment.failed of a charge: PENDING → FAILED, and payment-service told to accept no further payment. */
  async paymentFailed(trx: Trx, event: PaymentFailedPayload) {
    const charge = await this.lockForPayment(trx, event);
    if (!charge || !chargeMove(charge.status, 'failed')) return;
    const failed = await this.moveTo(trx, charge, 'failed', {
      failure_code: event.code,
      failure_message: event.message.slice(0, 500),
    });
    await this.publishCancelled(trx, failed, 'PAYMENT_FAILED');
  }

  /** payment.refunded of a charge being refunded: REFUND_REQUESTED → REFUNDED. */
  async paymentRefunded(trx: Trx, event: PaymentRefundedPayload) {
    const charge = await this.lockForPayment(trx, event);
    if (!charge || !chargeMove(charge.status, 'refunded')) return;
    await this.moveTo(trx, charge, 'refunded', { refunded_at: new Date(event.refundedAt) });
  }

  /** The caller's own charge, locked until commit; anyone else's is not found. */
  private async lockOwnCharge(trx: Trx, userId: string, chargeNumber: string) {
    await this.users.usableUser(trx, userId);
    const charge = await trx
      .selectFrom('point_charges')
      .selectAll()
      .where('charge_number', '=', chargeNumber)
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!charge) throw noSuchCharge(chargeNumber);
    return charge;
  }

  private async lockForPayment(trx: Trx, event: { orderId: string; userId: string }) {
    const charge = await trx
      .selectFrom('point_charges')
      .selectAll()
      .where('id', '=', event.orderId)
      .forUpdate()
      .executeTakeFirst();
    if (!charge || charge.user_id !== event.userId) {
      this.ctx.log.warn({ chargeId: event.orderId }, 'payment event for an unknown points charge');
      return undefined;
    }
    return charge;
  }

  private moveTo(
    trx: Trx,
    charge: ChargeRow,
    trigger: ChargeTrigger,
    changes: Partial<Omit<ChargeRow, 'id' | 'created_at'>>,
  ) {
    const status = chargeMove(charge.status, trigger);
    if (!status) throw new Error(`A ${charge.status} charge cannot take ${trigger}`);
    return trx
      .updateTable('point_charges')
      .set({ ...changes, status, version: charge.version + 1, updated_at: new Date() })
      .where('id', '=', charge.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  private publishCancelled(trx: Trx, charge: ChargeRow, reason: PointChargeCancelledPayload['reason']) {
    return this.ctx.publish(trx, PointChargeCancelled, {
      chargeId: charge.id,
      chargeNumber: charge.charge_number,
      userId: charge.user_id,
      amount: charge.amount,
      version: charge.version,
      reason,
      cancelledAt: charge.updated_at.toISOString(),
    });
  }
}
