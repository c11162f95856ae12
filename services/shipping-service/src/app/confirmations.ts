import { PurchaseConfirmed } from '@sagamart/contracts';
import type { PurchaseConfirmationView } from '@sagamart/contracts/http/shipping';
import { conflict, type Identity, type Periodic, repeatEvery, type ServiceContext, sql } from '@sagamart/kit';
import { confirmationPoints } from '../domain/refunds.ts';
import type { ShippingDb } from '../infra/schema.ts';
import type { ShippingSettings } from './settings.ts';
import { hasOpenClaim, type OrderRow, ownOrder, type Trx, whollyReturned } from './store.ts';

const DAY_MS = 86_400_000;

/**
 * 구매확정: by the shopper once the order is delivered (no claim open), or by itself
 * shipping.autoConfirmDays after delivery. It closes the return window and announces
 * purchase.confirmed exactly once per order (user-service awards the points).
 */
export class Confirmations {
  private loop: Periodic | undefined;

  constructor(
    private readonly ctx: ServiceContext<ShippingDb>,
    private readonly settings: () => ShippingSettings,
  ) {}

  start(): void {
    this.loop = repeatEvery(
      () => this.settings().autoConfirmIntervalMs,
      async () => {
        await this.confirmDue().catch((error) =>
          this.ctx.log.warn({ err: error }, 'auto-confirm tick failed'),
        );
      },
    );
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /** The shopper confirms; confirming again answers the confirmation already made. */
  async confirm(identity: Identity, orderRef: string): Promise<PurchaseConfirmationView> {
    return this.ctx.transaction(async (trx) => {
      const order = await ownOrder(trx, identity, orderRef, true);
      if (order.confirmed_at) return view(order);
      if (!order.delivered_at)
        throw conflict('배송이 완료된 주문만 구매확정할 수 있습니다.', 'not-delivered');
      if (await hasOpenClaim(trx, order.order_id)) {
        throw conflict('진행 중인 반품 또는 교환이 끝난 뒤에 구매확정할 수 있습니다.', 'claim-in-progress');
      }
      if (await whollyReturned(trx, order.order_id))
        throw conflict('모든 상품이 반품된 주문은 구매확정할 수 없습니다.', 'order-returned');
      return view(await this.confirmLocked(trx, order, false));
    });
  }

  /** One pass: delivered orders past autoConfirmDays, unconfirmed, without an open claim, not all returned. */
  async confirmDue(): Promise<number> {
    const { autoConfirmDays, autoConfirmBatchSize } = this.settings();
    const cutoff = new Date(Date.now() - autoConfirmDays * DAY_MS);
    return this.ctx.transaction(async (trx) => {
      const due = await trx
        .selectFrom('orders')
        .selectAll()
        .where('confirmed_at', 'is', null)
        .where('delivered_at', '<=', cutoff)
        // No open claim, and something kept: a wholly returned order is never confirmed.
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('claims')
                .select(sql`1`.as('one'))
                .whereRef('claims.order_id', '=', 'orders.order_id')
                .where(({ eb, or, and }) =>
                  or([
                    eb('claims.status', 'in', ['REQUESTED', 'APPROVED', 'COLLECTING', 'RESHIPPING']),
                    and([
                      eb('claims.type', '=', 'RETURN'),
                      eb('claims.status', '=', 'COMPLETED'),
                      eb('claims.whole_order', '=', true),
                    ]),
                  ]),
                ),
            ),
          ),
        )
        .orderBy('delivered_at')
        .limit(autoConfirmBatchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const order of due) await this.confirmLocked(trx, order, true);
      return due.length;
    });
  }

  private async confirmLocked(trx: Trx, order: OrderRow, auto: boolean): Promise<OrderRow> {
    const amountPaid = order.payable_amount - order.refunded_amount;
    const pointsAwarded = confirmationPoints(amountPaid, this.settings().confirmPointsRate);
    const confirmed = await trx
      .updateTable('orders')
      .set({ confirmed_at: new Date(), auto_confirmed: auto, points_awarded: pointsAwarded })
      .where('order_id', '=', order.order_id)
      .where('confirmed_at', 'is', null)
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.ctx.publish(trx, PurchaseConfirmed, {
      orderId: confirmed.order_id,
      orderNumber: confirmed.order_number,
      userId: confirmed.user_id,
      amountPaid,
      pointsAwarded,
      auto,
      confirmedAt: confirmed.confirmed_at!.toISOString(),
    });
    return confirmed;
  }
}

function view(order: OrderRow): PurchaseConfirmationView {
  return {
    orderId: order.order_id,
    orderNumber: order.order_number,
    confirmedAt: order.confirmed_at!.toISOString(),
    auto: order.auto_confirmed,
    amountPaid: order.payable_amount - order.refunded_amount,
    pointsAwarded: order.points_awarded ?? 0,
  };
}
