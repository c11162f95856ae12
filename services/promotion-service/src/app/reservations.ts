import type { CouponReservation, CouponReservationRequest } from '@sagamart/contracts';
import { conflict, lockForTransaction, Problem, type ServiceContext, type Transaction } from '@sagamart/kit';
import {
  type CouponStep,
  couponUnavailability,
  nextCouponStatus,
  reservationStep,
} from '../domain/coupon-lifecycle.ts';
import type { PromotionDb } from '../infra/schema.ts';
import { couponUnavailable } from './problems.ts';

type Trx = Transaction<PromotionDb>;
type ReservationRow = {
  order_id: string;
  user_coupon_id: number | null;
  coupon_id: number | null;
  user_id: string | null;
  state: CouponReservation['state'];
};

/**
 * Coupon reservations for the order saga: reserve, commit, release, each idempotent by orderId.
 * Every step for one order runs under a transaction-scoped advisory lock on the order id, so a
 * retried step racing its original (or a compensation racing a late reserve) is serialised.
 */
export class CouponReservations {
  constructor(private readonly ctx: ServiceContext<PromotionDb>) {}

  get(orderId: string) {
    return this.ctx.transaction(async (trx) => {
      const current = await this.find(trx, orderId);
      if (!current)
        throw new Problem(404, `No coupon reservation for order ${orderId}`, {
          code: 'RESERVATION_NOT_FOUND',
        });
      return this.view(trx, current);
    });
  }

  reserve(request: CouponReservationRequest, now = new Date()): Promise<CouponReservation> {
    return this.forOrder(request.orderId, async (trx, current) => {
      const step = reservationStep(current?.state, 'reserve');
      if (step.kind !== 'apply') {
        if (
          current!.user_coupon_id !== null &&
          (current!.coupon_id !== request.couponId || current!.user_id !== request.userId)
        ) {
          throw conflict(`Order ${request.orderId} already holds another coupon`, 'RESERVATION_MISMATCH');
        }
        return this.view(trx, current!);
      }
      const coupon = await trx
        .selectFrom('coupons')
        .selectAll()
        .where('id', '=', request.couponId)
        .executeTakeFirst();
      const held = coupon
        ? await trx
            .selectFrom('user_coupons')
            .selectAll()
            .where('coupon_id', '=', coupon.id)
            .where('user_id', '=', request.userId)
            .forUpdate()
            .executeTakeFirst()
        : undefined;
      const reason = coupon
        ? couponUnavailability(
            {
              status: coupon.status,
              validFrom: coupon.valid_from,
              validTo: coupon.valid_to,
              minOrderAmount: coupon.min_order_amount,
            },
            held ? { status: held.status, orderId: held.order_id } : undefined,
            now,
            { orderAmount: request.orderAmount },
          )
        : 'NOT_OWNED';
      if (reason || !held) throw couponUnavailable(reason ?? 'NOT_OWNED');
      await this.moveCoupon(trx, held.id, 'reserve', request.orderId, now);
      const created = await trx
        .insertInto('coupon_reservations')
        .values({
          order_id: request.orderId,
          user_coupon_id: held.id,
          coupon_id: request.couponId,
          user_id: request.userId,
          state: step.next,
          order_amount: request.orderAmount,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return this.view(trx, created);
    });
  }

  commit(orderId: string, now = new Date()): Promise<CouponReservation> {
    return this.forOrder(orderId, async (trx, current) => {
      const step = reservationStep(current?.state, 'commit');
      if (step.kind === 'missing') {
        throw new Problem(404, `No coupon reservation for order ${orderId}`, {
          code: 'RESERVATION_NOT_FOUND',
        });
      }
      if (step.kind === 'conflict') throw conflict(step.message, 'RESERVATION_RELEASED');
      if (step.kind === 'repeat') return this.view(trx, current!);
      await this.moveCoupon(trx, current!.user_coupon_id!, 'commit', orderId, now);
      return this.view(trx, await this.setState(trx, orderId, step.next));
    });
  }

  /** Compensation: always succeeds. Before any reservation it leaves a RELEASED tombstone. */
  release(orderId: string, now = new Date()): Promise<CouponReservation> {
    return this.forOrder(orderId, async (trx, current) => {
      const step = reservationStep(current?.state, 'release');
      if (step.kind === 'repeat' || step.kind === 'missing' || step.kind === 'conflict')
        return this.view(trx, current!);
      if (!current) {
        const tombstone = await trx
          .insertInto('coupon_reservations')
          .values({
            order_id: orderId,
            user_coupon_id: null,
            coupon_id: null,
            user_id: null,
            state: 'RELEASED',
            order_amount: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return this.view(trx, tombstone);
      }
      if (step.couponStep) await this.moveCoupon(trx, current.user_coupon_id!, step.couponStep, orderId, now);
      return this.view(trx, await this.setState(trx, orderId, step.next));
    });
  }

  private async forOrder<T>(
    orderId: string,
    fn: (trx: Trx, current: ReservationRow | undefined) => Promise<T>,
  ) {
    return this.ctx.transaction(async (trx) => {
      await lockForTransaction(trx, `coupon-reservation:${orderId}`);
      return fn(trx, await this.find(trx, orderId));
    });
  }

  private find(trx: Trx, orderId: string) {
    return trx
      .selectFrom('coupon_reservations')
      .select(['order_id', 'user_coupon_id', 'coupon_id', 'user_id', 'state'])
      .where('order_id', '=', orderId)
      .executeTakeFirst();
  }

  private setState(trx: Trx, orderId: string, state: CouponReservation['state']) {
    return trx
      .updateTable('coupon_reservations')
      .set({ state, updated_at: new Date() })
      .where('order_id', '=', orderId)
      .returning(['order_id', 'user_coupon_id', 'coupon_id', 'user_id', 'state'])
      .executeTakeFirstOrThrow();
  }

  /** Applies one step of the user coupon's state machine, refusing a move it does not allow. */
  private async moveCoupon(trx: Trx, userCouponId: number, step: CouponStep, orderId: string, now: Date) {
    const coupon = await trx
      .selectFrom('user_coupons')
      .select(['status', 'order_id'])
      .where('id', '=', userCouponId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const move = nextCouponStatus(coupon.status, step);
    if (!move.ok) throw conflict(`Order ${orderId}: ${move.message}`, 'COUPON_STATE_CONFLICT');
    const changes =
      move.to === 'RESERVED'
        ? { order_id: orderId, reserved_at: now }
        : move.to === 'USED'
          ? { used_at: now }
          : move.to === 'RESTORED'
            ? { restored_at: now, order_id: null }
            : { order_id: null, reserved_at: null };
    await trx
      .updateTable('user_coupons')
      .set({ status: move.to, ...changes, updated_at: now })
      .where('id', '=', userCouponId)
      .execute();
  }

  private async view(trx: Trx, row: ReservationRow): Promise<CouponReservation> {
    const coupon =
      row.user_coupon_id === null
        ? undefined
        : await trx
            .selectFrom('user_coupons')
            .select('status')
            .where('id', '=', row.user_coupon_id)
            .executeTakeFirst();
    return {
      orderId: row.order_id,
      state: row.state,
      couponId: row.coupon_id,
      userId: row.user_id,
      couponStatus: coupon?.status ?? null,
    };
  }
}
