import { FINAL_CLAIM_STATUSES, ORDER_NUMBER_PATTERN } from '@sagamart/contracts';
import type {
  AdminOrderDetail,
  AdminOrderSummary,
  OrderDetail,
  OrderSummary,
  StuckSaga,
} from '@sagamart/contracts/http/orders';
import {
  fetchPage,
  likeContains,
  notFound,
  type Page,
  reconcileTotal,
  type Selectable,
  type ServiceContext,
  sql,
  toPage,
} from '@sagamart/kit';
import { isCancellable, type OrderStatus } from '../domain/order-status.ts';
import { currentAction, TRANSIENT_PHASES } from '../domain/saga.ts';
import { buyersOf } from '../infra/buyers.ts';
import {
  type Db,
  type ItemRow,
  type Json,
  jsonRows,
  type OrderRow,
  sagaState,
} from '../infra/order-store.ts';
import type { OrderDb } from '../infra/schema.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** A timestamp from a JSON row (PostgreSQL's ISO form, microseconds cut to milliseconds as for a Date column). */
const isoJson = (t: string | null) => (t ? new Date(t).toISOString() : null);
const refColumn = (ref: string) => (ORDER_NUMBER_PATTERN.test(ref) ? 'order_number' : 'id');
const ORDER_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The reference when it is an order id as this service writes them (a lowercase UUID), else undefined. */
export const orderIdOf = (ref: string): string | undefined => (ORDER_ID_PATTERN.test(ref) ? ref : undefined);

type TimelineRow = Selectable<OrderDb['order_timeline']>;
type PaymentRow = Selectable<OrderDb['order_payments']>;
type ClaimRow = Selectable<OrderDb['order_claims']>;
/** What names an order in a list: its lines, units, and the first line's name and picture. */
interface LinesSummary {
  lines: number;
  quantity: number;
  thumbnail: string | null;
  first_name: string;
}
/**
 * What a cancel gave back of a paid order, read from what order-service heard: the PG's refunds of its
 * payments (payment.refunded without a claim: one row per payment, so a redelivery changes nothing),
 * and its points once the saga has released them (the compensation done, the order paid).
 */
interface CancelRefunds {
  amount: number;
  points: number;
}
const NO_CANCEL_REFUNDS: CancelRefunds = { amount: 0, points: 0 };
/**
 * What came back of an order beside `orders.refunded_amount` (the won of returns: payment.refunded of a
 * claim): the points of its returns, and what a cancel gave back (null unless it was cancelled).
 */
interface Refunds {
  returns_points: number;
  cancel: CancelRefunds | null;
}

/**
 * `Refunds` of the order `alias` names, in the statement that reads it (a list page's, the detail's).
 * Read from the rows each of these events writes under every release that can run beside this one
 * (ADR 0013), never from a figure only this release keeps: during a rolling deploy a pod of the
 * previous release that completes a return records its RETURN_COMPLETED timeline entry (with the
 * points, facts since migration 0007) but not `orders.refunded_points` (migration 0008), and what it
 * gave back still counts.
 * - Returns' points: each completed return's `pointsRefund` on its RETURN_COMPLETED entry, one entry
 *   per claim (a repeated or overtaken return.completed adds none); entries from before facts say it
 *   in their note only, and count as 0 (as migration 0008 counted them). The order's timeline rows are
 *   found by the `order_timeline_order` index.
 * - A cancel: its payments' refunds (never more than the PG still held of what was paid), and its
 *   points once the saga released them, if it had been paid (PAID, or a payment approved: one approved
 *   after the cancel is refunded too).
 */
function refundsOf(alias: 'orders' | 'o') {
  const order = sql.table(alias);
  return sql<Refunds>`json_build_object(
      'returns_points', (
        select coalesce(sum((t.facts->>'pointsRefund')::bigint), 0) from order_timeline t
         where t.order_id = ${order}.id and t.event = 'RETURN_COMPLETED'),
      'cancel', case when ${order}.status = 'CANCELLED' then (
        select json_build_object(
          'amount', least(
            greatest(${order}.payable_amount - ${order}.refunded_amount, 0),
            coalesce(sum(p.amount) filter (where p.status = 'REFUNDED'), 0)
          ),
          'points', case
            when (${order}.paid_at is not null or bool_or(p.approved_at is not null))
              and exists (select 1 from sagas s
                           where s.order_id = ${order}.id and s.phase = 'COMPENSATED'
                             and s.compensations @> '["points"]'::jsonb)
            then ${order}.points_used else 0 end
        ) from order_payments p where p.order_id = ${order}.id) end)`;
}
type Buyer = AdminOrderSummary['buyer'];
/** A page of orders to list, by status, number, shopper or buyer (name or email). */
interface AdminOrderQuery {
  page: number;
  size: number;
  status?: OrderStatus | undefined;
  orderNumber?: string | undefined;
  userId?: string | undefined;
  buyer?: string | undefined;
}
/** An order of a list page with what names it and (admin pages only) its buyer. */
interface ListedOrder {
  order: OrderRow;
  lines: LinesSummary;
  refunds: Refunds;
  buyer: Buyer;
}
type OrderWithLines = OrderRow & {
  refunds: Refunds;
  lines: ItemRow[];
  timeline: Json<TimelineRow>[];
  payments: Json<PaymentRow>[];
  open_claims: Pick<ClaimRow, 'claim_id' | 'type' | 'status'>[];
};

/** Order reads for shoppers (their own orders only) and admins. */
export class OrderReads {
  constructor(private readonly ctx: ServiceContext<OrderDb>) {}

  private get db(): Db {
    return this.ctx.db;
  }

  async mine(
    userId: string,
    query: { page: number; size: number; status?: OrderStatus | undefined },
  ): Promise<Page<OrderSummary>> {
    const found = await this.list({ ...query, userId }, { buyers: false });
    return { ...found, content: found.content.map((o) => this.shopperSummary(o)) };
  }

  async adminList(query: AdminOrderQuery): Promise<Page<AdminOrderSummary>> {
    const found = await this.list(query, { buyers: true });
    return {
      ...found,
      content: found.content.map((o) => ({
        ...this.summary(o.order, o.lines, o.refunds),
        buyer: o.buyer,
      })),
    };
  }

  /** An order by id or number; someone else's order is a 404 to its viewer. */
  async detail(ref: string, viewer: { userId: string } | 'admin'): Promise<OrderDetail> {
    const order = await this.findWithLines(ref);
    if (!order || (viewer !== 'admin' && order.user_id !== viewer.userId))
      throw notFound(`Order ${ref} does not exist`);
    return this.toDetail(order);
  }

  async adminDetail(ref: string): Promise<AdminOrderDetail> {
    // The saga first: what the order, its timeline and the log show is then at least as new as its
    // phase (a saga change and its order rows commit together).
    const saga = await this.db
      .selectFrom('sagas as s')
      .innerJoin('orders as o', 'o.id', 's.order_id')
      .selectAll('s')
      .where(`o.${refColumn(ref)}`, '=', ref)
      .executeTakeFirst();
    const order = saga && (await this.findWithLines(saga.order_id));
    if (!saga || !order) throw notFound(`Order ${ref} does not exist`);
    const detail = this.toDetail(order);
    const [log, buyers] = await Promise.all([
      this.db.selectFrom('saga_log').selectAll().where('order_id', '=', order.id).orderBy('id').execute(),
      buyersOf(this.db, [order.user_id]),
    ]);
    return {
      ...detail,
      userId: order.user_id,
      buyer: buyers.get(order.user_id) ?? null,
      adminMemo: order.admin_memo,
      saga: {
        phase: saga.phase,
        steps: saga.steps,
        compensations: saga.compensations,
        current: currentAction(sagaState(saga)) ?? null,
        attempts: saga.attempts,
        lastError: saga.last_error,
        nextAttemptAt: saga.next_attempt_at.toISOString(),
        phaseSince: saga.phase_since.toISOString(),
        log: log.map((l) => ({
          action: l.action,
          step: l.step,
          outcome: l.outcome,
          attempt: l.attempt,
          detail: l.detail,
          ...(l.facts ? { facts: l.facts } : {}),
          durationMs: l.duration_ms,
          traceId: l.trace_id,
          at: l.at.toISOString(),
        })),
      },
    };
  }

  async setMemo(ref: string, memo: string): Promise<AdminOrderDetail> {
    const order = await this.find(ref);
    if (!order) throw notFound(`Order ${ref} does not exist`);
    const trimmed = memo.trim();
    await this.db
      .updateTable('orders')
      .set({ admin_memo: trimmed === '' ? null : trimmed, updated_at: sql`clock_timestamp()` })
      .where('id', '=', order.id)
      .execute();
    return this.adminDetail(order.id);
  }

  /** Sagas in a transient phase for longer than orders.stuckAfterSeconds, oldest first. */
  async stuck(page: number, size: number): Promise<Page<StuckSaga>> {
    const seconds = this.ctx.config.number('orders.stuckAfterSeconds');
    const base = this.db
      .selectFrom('sagas as s')
      .innerJoin('orders as o', 'o.id', 's.order_id')
      .where('s.phase', 'in', TRANSIENT_PHASES)
      .where('s.phase_since', '<', sql<Date>`clock_timestamp() - ${seconds} * interval '1 second'`);
    const found = await fetchPage(
      base,
      (q) =>
        q
          .selectAll('s')
          .select([
            'o.order_number',
            'o.status',
            sql<number>`extract(epoch from clock_timestamp() - s.phase_since)`.as('age'),
          ])
          .orderBy('s.phase_since'),
      { page, size },
    );
    const content = found.content.map((r) => ({
      orderId: r.order_id,
      orderNumber: r.order_number,
      status: r.status,
      phase: r.phase,
      current: currentAction(sagaState(r)) ?? null,
      attempts: r.attempts,
      lastError: r.last_error,
      phaseSince: r.phase_since.toISOString(),
      nextAttemptAt: r.next_attempt_at.toISOString(),
      stuckForSeconds: Math.floor(Number(r.age)),
    }));
    return { ...found, content };
  }

  find(ref: string): Promise<OrderRow | undefined> {
    return this.db.selectFrom('orders').selectAll().where(refColumn(ref), '=', ref).executeTakeFirst();
  }

  /**
   * The order with what came back of it, its items, timeline, payments and open claim in one statement
   * (one round trip and one commit: the order page and the bench poll it).
   */
  private findWithLines(ref: string): Promise<OrderWithLines | undefined> {
    return this.db
      .selectFrom('orders as o')
      .selectAll('o')
      .select((eb) => [
        refundsOf('o').as('refunds'),
        jsonRows<ItemRow>(
          eb.selectFrom('order_items as i').selectAll('i').whereRef('i.order_id', '=', 'o.id'),
          'line_no',
        ).as('lines'),
        jsonRows<Json<TimelineRow>>(
          eb.selectFrom('order_timeline as t').selectAll('t').whereRef('t.order_id', '=', 'o.id'),
          'id',
        ).as('timeline'),
        jsonRows<Json<PaymentRow>>(
          eb.selectFrom('order_payments as p').selectAll('p').whereRef('p.order_id', '=', 'o.id'),
          'updated_at',
        ).as('payments'),
        jsonRows<Pick<ClaimRow, 'claim_id' | 'type' | 'status'>>(
          eb
            .selectFrom('order_claims as c')
            .select(['c.claim_id', 'c.type', 'c.status', 'c.updated_at'])
            .whereRef('c.order_id', '=', 'o.id')
            .where('c.status', 'not in', FINAL_CLAIM_STATUSES)
            .orderBy('c.updated_at', 'desc')
            .limit(1),
          'updated_at',
        ).as('open_claims'),
      ])
      .where(`o.${refColumn(ref)}`, '=', ref)
      .executeTakeFirst();
  }

  /**
   * A page of orders, each with what names it (its lines' count, units, first product and picture),
   * what came back of it and, for the admin, its buyer: one statement for the page, beside its count,
   * however many orders it holds.
   *
   * The page's orders are chosen first by their keys alone, newest first and then by id, along an index
   * that has that order (orders_latest, or orders_user and orders_status with the ties sorted), and
   * the statement stops after them; their columns and the lookups per order (lines, refunds, buyer) are
   * made for those orders only. In one query, as the kit's `fetchPage` builds it, PostgreSQL makes the
   * lookups for every order an offset skips as well: the last page of 200,000 orders looked up all of
   * them (docs/performance.md, change 37). The count and the page run side by side and are reconciled,
   * as `fetchPage` does.
   */
  private async list(query: AdminOrderQuery, include: { buyers: boolean }): Promise<Page<ListedOrder>> {
    let base = this.db.selectFrom('orders');
    if (query.userId) base = base.where('user_id', '=', query.userId);
    const buyer = query.buyer?.trim().toLowerCase();
    if (buyer) {
      // Buyers whose e-mail or name holds the text (the read copy of user events, this service's own table).
      base = base.where('user_id', 'in', (eb) =>
        eb
          .selectFrom('buyers')
          .select('buyers.user_id')
          .where(sql<boolean>`lower(buyers.email || ' ' || buyers.name) like ${likeContains(buyer)}`),
      );
    }
    if (query.status) base = base.where('status', '=', query.status);
    const number = query.orderNumber?.trim().toUpperCase();
    if (number) {
      // A whole number is held by that order alone (every number has the same length): found by its
      // unique index, where a part of one is looked for in every number.
      base = ORDER_NUMBER_PATTERN.test(number)
        ? base.where('order_number', '=', number)
        : base.where('order_number', 'like', likeContains(number));
    }
    const keys = base
      .select(['orders.id', 'orders.created_at'])
      .orderBy('orders.created_at', 'desc')
      .orderBy('orders.id')
      .limit(query.size)
      .offset(query.page * query.size);
    const [rows, count] = await Promise.all([
      this.db
        .selectFrom(keys.as('p'))
        .innerJoin('orders', 'orders.id', 'p.id')
        .selectAll('orders')
        .select([
          sql<LinesSummary>`(select json_build_object(
              'lines', count(*),
              'quantity', coalesce(sum(i.quantity), 0),
              'thumbnail', (array_agg(i.thumbnail_url order by i.line_no))[1],
              'first_name', coalesce((array_agg(i.product_name order by i.line_no))[1], '')
            ) from order_items i where i.order_id = orders.id)`.as('lines_summary'),
          refundsOf('orders').as('refunds'),
          include.buyers
            ? sql<Buyer | null>`(select json_build_object('name', b.name, 'email', b.email)
                from buyers b where b.user_id = orders.user_id)`.as('buyer')
            : sql<Buyer | null>`null`.as('buyer'),
        ])
        .orderBy('p.created_at', 'desc')
        .orderBy('p.id')
        .execute(),
      base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const total = reconcileTotal(Number(count.n), rows.length, query.page, query.size);
    return toPage(
      rows.map(({ lines_summary, refunds, buyer: who, ...order }) => ({
        order,
        lines: lines_summary,
        refunds,
        buyer: who,
      })),
      total,
      query.page,
      query.size,
    );
  }

  private shopperSummary(o: ListedOrder): OrderSummary {
    const { userId: _userId, ...summary } = this.summary(o.order, o.lines, o.refunds);
    return summary;
  }

  /**
   * An order as the lists and the detail show it. `refundedAmount` and `refundedPoints` are everything
   * that came back: what returns gave back and what a cancel did (`refunds`, see `refundsOf`).
   */
  private summary(
    o: OrderRow,
    lines: LinesSummary,
    refunds: Refunds,
  ): Omit<AdminOrderSummary, 'buyer'> & Required<Pick<OrderSummary, 'refundedAmount' | 'refundedPoints'>> {
    const cancelled = refunds.cancel ?? NO_CANCEL_REFUNDS;
    return {
      orderId: o.id,
      orderNumber: o.order_number,
      userId: o.user_id,
      status: o.status,
      cancelReason: o.cancel_reason,
      cancelNote: o.cancel_note,
      orderName: o.order_name,
      firstProductName: lines.first_name,
      itemCount: Number(lines.lines),
      totalQuantity: Number(lines.quantity),
      thumbnailUrl: lines.thumbnail,
      subtotal: o.subtotal,
      discountAmount: o.discount_amount,
      pointsUsed: o.points_used,
      payableAmount: o.payable_amount,
      refundedAmount: o.refunded_amount + Number(cancelled.amount),
      refundedPoints: Number(refunds.returns_points) + Number(cancelled.points),
      createdAt: o.created_at.toISOString(),
      updatedAt: o.updated_at.toISOString(),
    };
  }

  private toDetail(order: OrderWithLines): OrderDetail {
    const { lines: items, timeline, payments } = order;
    const openClaim = order.open_claims[0];
    const { userId: _userId, ...summary } = this.summary(
      order,
      {
        lines: items.length,
        quantity: items.reduce((sum, i) => sum + i.quantity, 0),
        thumbnail: items[0]?.thumbnail_url ?? null,
        first_name: items[0]?.product_name ?? '',
      },
      order.refunds,
    );
    const timeoutMs = this.ctx.config.number('orders.paymentTimeoutSeconds') * 1000;
    return {
      ...summary,
      items: items.map((i) => ({
        id: i.id,
        skuId: i.sku_id,
        productId: i.product_id,
        productName: i.product_name,
        skuCode: i.sku_code,
        options: i.options,
        unitPrice: i.unit_price,
        quantity: i.quantity,
        lineTotal: i.line_total,
        thumbnailUrl: i.thumbnail_url,
        optionLabel: i.option_label,
        discountShare: i.discount_share,
        pointsShare: i.points_share,
        payableShare: i.payable_share,
      })),
      policyDiscounts: order.policy_discounts,
      policyDiscount: order.policy_discount,
      couponId: order.coupon_id,
      couponDiscount: order.coupon_discount,
      delivery: {
        receiverName: order.receiver_name,
        receiverPhone: order.receiver_phone,
        zipcode: order.zipcode,
        address: order.address,
        addressDetail: order.address_detail,
        memo: order.delivery_memo,
      },
      placedAt: iso(order.placed_at),
      paidAt: iso(order.paid_at),
      cancelledAt: iso(order.cancelled_at),
      paymentDueAt:
        order.status === 'PAYMENT_PENDING' && order.placed_at
          ? new Date(order.placed_at.getTime() + timeoutMs).toISOString()
          : null,
      cancellable: isCancellable(order.status),
      trackingNumber: order.tracking_number,
      deliveredAt: iso(order.delivered_at),
      confirmedAt: iso(order.confirmed_at),
      returnsRefundedAmount: order.refunded_amount,
      openClaim: openClaim
        ? { claimId: openClaim.claim_id, type: openClaim.type, status: openClaim.status }
        : null,
      timeline: timeline.map((t) => ({
        event: t.event,
        status: t.status,
        note: t.note,
        ...(t.facts ? { facts: t.facts } : {}),
        at: isoJson(t.at)!,
      })),
      payments: payments.map((p) => ({
        paymentId: p.payment_id,
        paymentKey: p.payment_key,
        status: p.status,
        amount: p.amount,
        method: p.method,
        code: p.code,
        message: p.message,
        approvedAt: isoJson(p.approved_at),
        failedAt: isoJson(p.failed_at),
        refundedAt: isoJson(p.refunded_at),
      })),
    };
  }
}
