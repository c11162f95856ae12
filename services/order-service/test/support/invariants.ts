import { randomUUID } from 'node:crypto';
import { asService, asUser as signedIn } from '@sagamart/testkit';

/**
 * The order saga's invariants, checked only through the services' HTTP APIs so any suite can use them
 * (the order tests here, an end-to-end run on either transport):
 * - stock, per SKU: initial + adjustments − written off = available + reserved + sold + held, none
 *   negative, no history row below zero; and per order, its stock movements match its status (held while payable, sold when
 *   paid, all back when cancelled);
 * - a coupon is USED exactly when its order is PAID (and RESERVED only for an order still open);
 * - each user's points ledger sums to the balance, which is never negative; a cancelled order's
 *   points came back, a paid order's were committed;
 * - approved − refunded payments = the payable amounts of PAID orders; no payment is left PENDING.
 * After payment (issue 10) an order goes on to SHIPPING, DELIVERED, RETURNED: each counts as paid.
 * Returns move stock back with RETURN rows, or HOLD rows for units sent back defective or damaged
 * (keyed by the claim, adding nothing to the total); a
 * payment's partial refunds are one per claim, never above what was paid, and the order shows the
 * same refunded amount; with the after-sale services in scope, see afterSaleViolations.
 * `violations` lists what is wrong right now (empty when all hold); after a fault, poll it until
 * empty, since compensations, refunds and events settle asynchronously.
 */
export interface ShopUrls {
  product: string;
  user: string;
  promotion: string;
  payment: string;
  order: string;
  /** The after-sale services, when running: shipping-service, the mock courier and the mock PG. */
  shipping?: string;
  courier?: string;
  pg?: string;
}

export interface InvariantScope {
  /** Products whose stock to check (their SKUs' whole history). */
  productIds: number[];
  /** Users whose points and coupons to check; the users of every order are always included. */
  userIds?: string[];
  /** Skip the payment check (when a test fabricates payment events payment-service never saw). */
  skipPayments?: boolean;
  /** shipping.returnFee and shipping.confirmPointsRate of the run (the defaults otherwise). */
  returnFee?: number;
  confirmPointsRate?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: bodies are read field by field
type Json = any;
const ADMIN = signedIn(randomUUID(), 'ADMIN', 'invariants@sagamart.test');
const asUser = (userId: string) => signedIn(userId);

async function get(base: string, path: string, headers: Record<string, string> = ADMIN): Promise<Json> {
  const res = await fetch(`${base}${path}`, { headers });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET ${base}${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Every element of a paged list (`{content, last}` pages of 100). */
async function all(base: string, path: string, headers?: Record<string, string>): Promise<Json[]> {
  const out: Json[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 0; ; page++) {
    const body = await get(base, `${path}${sep}page=${page}&size=100`, headers);
    out.push(...body.content);
    if (body.last || body.content.length === 0) return out;
  }
}

interface Order {
  orderId: string;
  orderNumber: string;
  userId: string;
  status: string;
  payableAmount: number;
  pointsUsed: number;
  couponId: number | null;
  refundedAmount: number;
  /** What returns got back: what its approved payment gave back in part. */
  returnsRefundedAmount: number;
  items: Array<{ id: number; quantity: number; payableShare: number }>;
  /** order-service's read copy of shipping-service's state. */
  trackingNumber: string | null;
  confirmedAt: string | null;
  openClaim: { claimId: string; status: string } | null;
}

export async function violations(urls: ShopUrls, scope: InvariantScope): Promise<string[]> {
  const problems: string[] = [];
  const summaries: Json[] = await all(urls.order, '/api/admin/orders');
  const orders: Order[] = await Promise.all(
    summaries.map(async (s) => {
      const detail = await get(urls.order, `/api/admin/orders/${s.orderId}`);
      return {
        ...s,
        couponId: detail.couponId,
        pointsUsed: detail.pointsUsed,
        refundedAmount: detail.refundedAmount,
        returnsRefundedAmount: detail.returnsRefundedAmount,
        items: detail.items,
        trackingNumber: detail.trackingNumber,
        confirmedAt: detail.confirmedAt,
        openClaim: detail.openClaim,
      };
    }),
  );
  const byId = new Map(orders.map((o) => [o.orderId, o]));
  const open = (status: string) => status === 'PENDING' || status === 'PAYMENT_PENDING';
  const paid = (status: string) => ['PAID', 'SHIPPING', 'DELIVERED', 'RETURNED'].includes(status);

  // Stock.
  for (const productId of scope.productIds) {
    const product = await get(urls.product, `/api/admin/products/${productId}`);
    const history: Json[] = await all(urls.product, `/api/admin/products/${productId}/stock-movements`);
    for (const sku of product.skus as Json[]) {
      const rows = history.filter((m) => m.skuId === sku.id);
      const added = rows
        .filter(
          (m) => m.type === 'INITIAL' || m.type === 'ADJUST' || (m.type === 'RESTOCK' && m.orderId === null),
        )
        .reduce((sum, m) => sum + m.quantity, 0);
      // A DISCARD row changes no available stock: its units are what it took from `held`.
      const discarded = rows.filter((m) => m.type === 'DISCARD').reduce((sum, m) => sum - m.heldChange, 0);
      if (added - discarded !== sku.stock + sku.reserved + sku.sold + sku.held) {
        problems.push(
          `SKU ${sku.id}: initial+adjustments ${added} − written off ${discarded} ≠ available ${sku.stock} + reserved ${sku.reserved} + sold ${sku.sold} + held ${sku.held}`,
        );
      }
      if (sku.stock < 0 || sku.reserved < 0 || sku.sold < 0 || sku.held < 0)
        problems.push(`SKU ${sku.id}: negative levels`);
      if (rows.some((m) => m.stockAfter < 0 || m.reservedAfter < 0 || m.soldAfter < 0 || m.heldAfter < 0))
        problems.push(`SKU ${sku.id}: history went negative`);
    }
    const perOrder = new Map<string, Json[]>();
    for (const m of history) if (m.orderId) perOrder.set(m.orderId, [...(perOrder.get(m.orderId) ?? []), m]);
    for (const [orderId, rows] of perOrder) {
      const order = byId.get(orderId);
      if (!order) continue;
      const types = new Set(rows.map((m: Json) => m.type));
      const net = rows.reduce((sum: number, m: Json) => sum + m.quantity, 0);
      if (order.status === 'CANCELLED' && net !== 0)
        problems.push(`order ${order.orderNumber} CANCELLED but ${-net} units not back in stock`);
      if (paid(order.status) && (!types.has('SELL') || types.has('RELEASE') || types.has('RESTOCK'))) {
        problems.push(`order ${order.orderNumber} PAID but its stock is not sold (${[...types].join(',')})`);
      }
      if (
        order.status === 'PAYMENT_PENDING' &&
        (types.has('SELL') || types.has('RELEASE') || types.has('RESTOCK'))
      ) {
        problems.push(
          `order ${order.orderNumber} PAYMENT_PENDING but its stock moved on (${[...types].join(',')})`,
        );
      }
    }
  }

  // Coupons and points, per user.
  const userIds = new Set([...(scope.userIds ?? []), ...orders.map((o) => o.userId)]);
  for (const userId of userIds) {
    const coupons: Json[] =
      (await get(urls.promotion, '/api/promotion/coupons?size=100', asUser(userId)))?.content ?? [];
    for (const coupon of coupons) {
      const order = coupon.orderId ? byId.get(coupon.orderId) : undefined;
      if (coupon.status === 'USED' && !(order && paid(order.status))) {
        problems.push(
          `coupon ${coupon.couponId} of ${userId} USED but its order is ${order?.status ?? 'unknown'}`,
        );
      }
      if (coupon.status === 'RESERVED' && !(order && open(order.status))) {
        problems.push(
          `coupon ${coupon.couponId} of ${userId} RESERVED for an order that is ${order?.status ?? 'unknown'}`,
        );
      }
    }
    for (const order of orders.filter((o) => o.userId === userId && o.couponId !== null)) {
      const coupon = coupons.find((c) => c.couponId === order.couponId);
      const usedByIt = coupon?.status === 'USED' && coupon.orderId === order.orderId;
      if (paid(order.status) && order.status !== 'RETURNED' && !usedByIt)
        problems.push(`order ${order.orderNumber} PAID but coupon ${order.couponId} is ${coupon?.status}`);
    }

    const points = await get(urls.user, '/api/users/me/points?size=1', asUser(userId));
    if (points) {
      const entries = await ledgerOf(urls.user, userId);
      const sum = entries.reduce((s, e) => s + e.amount, 0);
      if (sum !== points.balance)
        problems.push(`points of ${userId}: ledger sums to ${sum}, balance is ${points.balance}`);
      if (points.balance < 0 || entries.some((e) => e.balanceAfter < 0))
        problems.push(`points of ${userId} went negative`);
    }
    for (const order of orders.filter((o) => o.userId === userId && o.pointsUsed > 0)) {
      const reservation = await get(urls.user, `/internal/points/reservations/${order.orderId}`, asService());
      const expected = paid(order.status)
        ? 'COMMITTED'
        : order.status === 'CANCELLED'
          ? 'RELEASED'
          : 'RESERVED';
      if (order.status === 'CANCELLED' && !reservation) continue; // never reserved
      if (order.status === 'PENDING') continue; // the saga may not have got to points yet
      if (reservation?.state !== expected) {
        problems.push(
          `order ${order.orderNumber} ${order.status} but its points are ${reservation?.state ?? 'not reserved'}`,
        );
      }
    }
  }

  // Payments.
  if (!scope.skipPayments) {
    const numbers = new Set(orders.map((o) => o.orderNumber));
    const payments: Json[] = (await all(urls.payment, '/api/admin/payments')).filter((p) =>
      numbers.has(p.orderNumber),
    );
    const approved = payments.filter((p) => p.status === 'APPROVED');
    const net = approved.reduce((sum, p) => sum + p.amount - p.refundedAmount, 0);
    const kept = orders
      .filter((o) => paid(o.status))
      .reduce((sum, o) => sum + o.payableAmount - (o.refundedAmount ?? 0), 0);
    if (net !== kept)
      problems.push(`payments: approved − refunded = ${net}, but paid orders less refunds add up to ${kept}`);
    for (const p of payments) {
      const claims = (p.refunds as Json[]).map((r) => r.claimId);
      if (new Set(claims).size !== claims.length)
        problems.push(`payment ${p.paymentId}: a claim refunded twice`);
      if (p.refundedAmount > p.amount) problems.push(`payment ${p.paymentId}: refunded more than paid`);
      const done = (p.refunds as Json[]).filter((r) => r.status === 'DONE').reduce((s, r) => s + r.amount, 0);
      if (p.status === 'APPROVED' && done !== p.refundedAmount)
        problems.push(
          `payment ${p.paymentId}: refunds add up to ${done}, refundedAmount is ${p.refundedAmount}`,
        );
      const order = byId.get(p.orderId);
      if (order && p.status === 'APPROVED' && order.returnsRefundedAmount !== p.refundedAmount)
        problems.push(
          `order ${order.orderNumber} shows ${order.returnsRefundedAmount} refunded by returns, its payment ${p.refundedAmount}`,
        );
    }
    if (urls.shipping) problems.push(...(await afterSaleViolations(urls, scope, orders, payments)));
    for (const p of payments.filter((p) => p.status === 'PENDING'))
      problems.push(`payment ${p.paymentId} of ${p.orderNumber} still PENDING`);
  }
  return problems;
}

const FINAL_CLAIM = new Set(['COMPLETED', 'EXCHANGED', 'REJECTED']);
const FINAL_WAYBILL = new Set(['DELIVERED', 'CANCELLED']);
/** mock-pg's and mock-courier's default keys (the shop runs them unchanged). */
const PG_AUTH = { authorization: `Basic ${Buffer.from('test_sk_sagamart_mock:').toString('base64')}` };
const COURIER = { code: '99', key: 'test_courier_sagamart' };

/** share × k ÷ n rounded down, exactly. */
const proportion = (share: number, k: number, n: number) => Number((BigInt(share) * BigInt(k)) / BigInt(n));

/**
 * The after-sale invariants (issue 10), per paid order, from shipping-service, the courier, payment-
 * service, the PG, product-service and user-service:
 * - money: paid − refunded = the payable share of the lines kept + the return fees charged, where a
 *   line's kept share follows the rule on its own (k of n units returned refund share × k ÷ n rounded
 *   down, the last unit the rest) and a fee is the configured one for a change of mind (at most the
 *   lines' refund), none otherwise; each completed return is refunded once, at payment-service and
 *   at the PG, for exactly its amount;
 * - claims: none stays APPROVED, COLLECTING or RESHIPPING once the courier has finished its waybills;
 *   a completed claim moved its units back with RETURN rows, or HOLD rows when sent back defective or
 *   damaged (and sold the new option of an exchange),
 *   a rejected one moved nothing;
 * - points: one EARN entry per confirmed order (its rate of what the PG kept), none otherwise; one
 *   RETURN entry per completed return that gave points back, for exactly those points.
 */
async function afterSaleViolations(
  urls: ShopUrls,
  scope: InvariantScope,
  orders: Order[],
  payments: Json[],
): Promise<string[]> {
  const problems: string[] = [];
  const shipping = urls.shipping!;
  const returnFee = scope.returnFee ?? 3_000;
  const basisPoints = Math.round((scope.confirmPointsRate ?? 0.01) * 10_000);
  const courierStatus = async (trackingNumber: string): Promise<string> => {
    const res = await fetch(`${urls.courier}/api/v1/trackingInfo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ t_code: COURIER.code, t_invoice: trackingNumber, t_key: COURIER.key }),
    });
    if (!res.ok) throw new Error(`courier: ${trackingNumber} answered ${res.status}`);
    return ((await res.json()) as Json).status;
  };
  const movementsOf = new Map<number, Json[]>();
  for (const productId of scope.productIds) {
    const history: Json[] = await all(urls.product, `/api/admin/products/${productId}/stock-movements`);
    for (const m of history) {
      if (m.orderId) movementsOf.set(m.orderId, [...(movementsOf.get(m.orderId) ?? []), m]);
    }
  }
  const ledgers = new Map<string, Json[]>();

  for (const order of orders.filter((o) => ['SHIPPING', 'DELIVERED', 'RETURNED'].includes(o.status))) {
    const owner = asUser(order.userId);
    const shipped = await get(shipping, `/api/shipping/orders/${order.orderId}`, owner);
    const claims: Json[] = (await get(shipping, `/api/orders/${order.orderId}/claims`, owner))?.claims ?? [];
    const label = `order ${order.orderNumber}`;

    // Claims and the courier.
    for (const claim of claims.filter((c) => !FINAL_CLAIM.has(c.status) && c.status !== 'REQUESTED')) {
      const waybills = [claim.pickupTrackingNumber, claim.reshipTrackingNumber].filter(Boolean);
      const statuses = await Promise.all(waybills.map(courierStatus));
      if (statuses.every((s) => FINAL_WAYBILL.has(s)))
        problems.push(`${label}: claim ${claim.id} ${claim.status}, but the courier finished (${statuses})`);
    }
    if (shipped && shipped.shipments.length === 0) problems.push(`${label}: no shipment`);

    // order-service's read copy agrees with shipping-service, whatever order its events came in.
    const original = shipped?.shipments.find((s: Json) => s.kind === 'ORIGINAL');
    const open = claims.find((c) => !FINAL_CLAIM.has(c.status));
    const copy = {
      delivered: order.status === 'DELIVERED' || order.status === 'RETURNED',
      trackingNumber: order.trackingNumber,
      confirmed: order.confirmedAt !== null,
      openClaim: order.openClaim ? `${order.openClaim.claimId} ${order.openClaim.status}` : null,
    };
    const truth = {
      delivered: Boolean(shipped?.deliveredAt),
      trackingNumber: original?.trackingNumber ?? null,
      confirmed: Boolean(shipped?.confirmedAt),
      openClaim: open ? `${open.id} ${open.status}` : null,
    };
    if (JSON.stringify(copy) !== JSON.stringify(truth))
      problems.push(
        `${label}: order-service shows ${JSON.stringify(copy)}, shipping-service ${JSON.stringify(truth)}`,
      );

    // Stock moves of each claim (keyed by the claim).
    for (const claim of claims) {
      const rows = movementsOf.get(claim.id) ?? [];
      const units = (type: string, skuId: number) =>
        rows
          .filter((m) => m.type === type && m.skuId === skuId)
          .reduce((s, m) => s + Math.abs(m.quantity), 0);
      // A HOLD row changes no available stock: its units are what it added to `held`.
      const heldUnits = (skuId: number) =>
        rows.filter((m) => m.type === 'HOLD' && m.skuId === skuId).reduce((s, m) => s + m.heldChange, 0);
      const done = claim.status === 'COMPLETED' || claim.status === 'EXCHANGED';
      for (const item of claim.items as Json[]) {
        const back = units('RETURN', item.skuId) + heldUnits(item.skuId);
        if ((done || claim.status === 'RESHIPPING') && back !== item.quantity)
          problems.push(`${label}: claim ${claim.id} ${claim.status} restocked ${back} of ${item.quantity}`);
        if (claim.status === 'REJECTED' && back !== 0)
          problems.push(`${label}: claim ${claim.id} REJECTED but restocked ${back}`);
      }
      // An exchange's new options: reserved at approval (one RESERVE per SKU), sold when they ship.
      const newUnits = new Map<number, number>();
      for (const item of claim.items as Json[])
        if (item.newSkuId !== null)
          newUnits.set(item.newSkuId, (newUnits.get(item.newSkuId) ?? 0) + item.quantity);
      for (const [skuId, quantity] of claim.status === 'EXCHANGED' ? newUnits : []) {
        const reserved = units('RESERVE', skuId);
        const sold = rows.some((m) => m.type === 'SELL' && m.skuId === skuId);
        if (reserved !== quantity || !sold || units('RELEASE', skuId) > 0)
          problems.push(
            `${label}: exchange ${claim.id} reserved ${reserved} of ${quantity} new units, sold: ${sold}`,
          );
      }
      if (claim.status === 'REJECTED' && rows.reduce((s, m) => s + m.quantity, 0) !== 0)
        problems.push(`${label}: claim ${claim.id} REJECTED but its stock did not come back`);
    }

    // Money: what the PG kept, from the lines kept and the fees, the refunds once each.
    const payment = payments.find((p) => p.orderId === order.orderId && p.status === 'APPROVED');
    if (!payment) {
      problems.push(`${label}: ${order.status} without an approved payment`);
      continue;
    }
    const returns = claims
      .filter((c) => c.type === 'RETURN' && c.status === 'COMPLETED')
      .sort((a, b) => Date.parse(a.completedAt) - Date.parse(b.completedAt));
    const lines = new Map(order.items.map((i) => [i.id, { ...i, returned: 0, refunded: 0 }]));
    let fees = 0;
    for (const claim of returns) {
      let gross = 0;
      for (const item of claim.items as Json[]) {
        const line = lines.get(item.orderItemId);
        if (!line) {
          problems.push(`${label}: claim ${claim.id} returns line ${item.orderItemId} it does not have`);
          continue;
        }
        line.returned += item.quantity;
        const refund =
          line.returned === line.quantity
            ? line.payableShare - line.refunded
            : proportion(line.payableShare, item.quantity, line.quantity);
        if (line.returned > line.quantity)
          problems.push(`${label} line ${line.id}: returned ${line.returned}`);
        if (item.refundAmount !== refund)
          problems.push(
            `${label} line ${line.id}: claim ${claim.id} refunds ${item.refundAmount}, not ${refund}`,
          );
        line.refunded += refund;
        gross += refund;
      }
      const fee = claim.reason === 'CHANGE_OF_MIND' ? Math.min(returnFee, gross) : 0;
      if (claim.feeAmount !== fee || claim.refundAmount !== gross - fee)
        problems.push(
          `${label}: claim ${claim.id} (${claim.reason}) refunds ${claim.refundAmount} with fee ${claim.feeAmount}, not ${gross - fee} with ${fee}`,
        );
      fees += fee;
    }
    const kept = [...lines.values()].reduce((s, l) => s + l.payableShare - l.refunded, 0);
    if (payment.amount - payment.refundedAmount !== kept + fees)
      problems.push(
        `${label}: paid ${payment.amount} − refunded ${payment.refundedAmount} ≠ lines kept ${kept} + fees ${fees}`,
      );
    const refunds = payment.refunds as Json[];
    for (const claim of returns.filter((c) => c.refundAmount > 0)) {
      const paidOut = refunds.filter((r) => r.claimId === claim.id);
      if (paidOut.length !== 1 || paidOut[0].status !== 'DONE' || paidOut[0].amount !== claim.refundAmount)
        problems.push(
          `${label}: claim ${claim.id} refunded as ${JSON.stringify(paidOut)}, expected once ${claim.refundAmount}`,
        );
    }
    for (const refund of refunds.filter((r) => !returns.some((c) => c.id === r.claimId)))
      problems.push(`${label}: refund for ${refund.claimId}, which is no completed return`);
    const atPg = await get(urls.pg!, `/v1/payments/${payment.paymentKey}`, PG_AUTH);
    const cancelled = (atPg.cancels as Json[]).reduce((s, c) => s + c.cancelAmount, 0);
    if (
      atPg.totalAmount - atPg.balanceAmount !== payment.refundedAmount ||
      cancelled !== payment.refundedAmount ||
      atPg.cancels.length !== refunds.filter((r) => r.status === 'DONE').length
    )
      problems.push(
        `${label}: the PG cancelled ${cancelled} in ${atPg.cancels.length} (balance ${atPg.balanceAmount} of ${atPg.totalAmount}), payment-service refunded ${payment.refundedAmount}`,
      );
    const whole = [...lines.values()].every((l) => l.returned === l.quantity);
    if (whole !== (order.status === 'RETURNED'))
      problems.push(`${label} is ${order.status}, but ${whole ? 'every' : 'not every'} unit was returned`);

    // Points: earned once when confirmed, given back once per return.
    if (!ledgers.has(order.userId)) ledgers.set(order.userId, await ledgerOf(urls.user, order.userId));
    const mine = ledgers.get(order.userId)!.filter((e) => String(e.reason).includes(order.orderNumber));
    const earned = mine.filter((e) => e.type === 'EARN');
    const award = Number((BigInt(payment.amount - payment.refundedAmount) * BigInt(basisPoints)) / 10_000n);
    if (shipped?.confirmedAt) {
      // Nothing to award (a wholly returned order) writes no entry.
      const expected = award > 0 ? [award] : [];
      if (JSON.stringify(earned.map((e) => e.amount)) !== JSON.stringify(expected))
        problems.push(
          `${label}: confirmed, earned ${JSON.stringify(earned.map((e) => e.amount))}, expected ${JSON.stringify(expected)}`,
        );
    } else if (earned.length > 0) problems.push(`${label}: not confirmed, but earned points`);
    const pointsBack = returns.filter((c) => c.pointsRefund > 0);
    const returned = mine.filter((e) => e.type === 'RETURN');
    const back = returned.reduce((s, e) => s + e.amount, 0);
    const expected = pointsBack.reduce((s, c) => s + c.pointsRefund, 0);
    if (returned.length !== pointsBack.length || back !== expected)
      problems.push(
        `${label}: ${returned.length} point returns of ${back}, expected ${pointsBack.length} of ${expected}`,
      );
  }
  return problems;
}

async function ledgerOf(userBase: string, userId: string): Promise<Json[]> {
  const out: Json[] = [];
  for (let page = 0; ; page++) {
    const body = await get(userBase, `/api/users/me/points?page=${page}&size=100`, asUser(userId));
    out.push(...body.ledger.content);
    if (body.ledger.last || body.ledger.content.length === 0) return out;
  }
}

/** Polls until every invariant holds (compensations and refunds settle asynchronously); throws the last violations. */
export async function expectInvariants(
  urls: ShopUrls,
  scope: InvariantScope,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  for (;;) {
    last = await violations(urls, scope);
    if (last.length === 0) return;
    if (Date.now() > deadline) throw new Error(`invariants violated:\n- ${last.join('\n- ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
