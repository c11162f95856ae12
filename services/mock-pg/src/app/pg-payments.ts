import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestCard } from '@sagamart/contracts';
import { Problem, type Selectable, type ServiceContext, type Transaction } from '@sagamart/kit';
import {
  cancelDecision,
  confirmEffect,
  confirmRequestProblem,
  isSettled,
  type PgFailure,
} from '../domain/pg-payment.ts';
import type { MockPgDb } from '../infra/schema.ts';

type Row = Selectable<MockPgDb['pg_payments']>;
type CancelRow = Selectable<MockPgDb['pg_cancels']>;
type Trx = Transaction<MockPgDb>;

/** A PG answer that failed: problem+json that also carries Toss's `code` and `message` members. */
export function pgFailure(status: number, failure: PgFailure): Problem {
  return new Problem(status, failure.message, {
    code: failure.code,
    extensions: { code: failure.code, message: failure.message },
  });
}

const notFound = (paymentKey: string) =>
  pgFailure(404, { code: 'NOT_FOUND_PAYMENT', message: `No payment with paymentKey ${paymentKey}` });

/** The payment as the Toss-like API shows it, with its cancels (oldest first). */
export function toPaymentObject(row: Row, cancels: CancelRow[] = []) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const canceled = cancels.reduce((sum, c) => sum + c.amount, 0);
  return {
    mId: 'sagamart-mock',
    paymentKey: row.payment_key,
    orderId: row.order_number,
    orderName: row.order_name,
    status: row.status,
    method: '카드',
    totalAmount: row.amount,
    balanceAmount: row.amount - canceled,
    requestedAt: row.requested_at.toISOString(),
    approvedAt: iso(row.approved_at),
    card: { company: '모의카드', number: '4330-****-****-0000', testCard: row.card },
    cancels: cancels.map((c) => ({
      cancelAmount: c.amount,
      cancelReason: c.reason,
      canceledAt: iso(c.canceled_at),
      transactionKey: c.transaction_key,
    })),
    failure: row.failure_code ? { code: row.failure_code, message: row.failure_message ?? '' } : null,
  };
}

export type PaymentObject = ReturnType<typeof toPaymentObject>;

function newPaymentKey(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return `mpg_${day}${randomBytes(12).toString('hex')}`;
}

/** The mock PG's payments: checkout, confirm, cancel and lookups. */
export class PgPayments {
  constructor(private readonly ctx: ServiceContext<MockPgDb>) {}

  private get slowConfirmMs() {
    return this.ctx.config.number('mockPg.slowConfirmMs');
  }

  /** The shopper submitted the checkout page (or a test checkout): a READY payment remembering the card. */
  async start(input: { orderNumber: string; amount: number; orderName: string; card: TestCard }) {
    const row = await this.ctx.db
      .insertInto('pg_payments')
      .values({
        payment_key: newPaymentKey(),
        order_number: input.orderNumber,
        order_name: input.orderName,
        amount: input.amount,
        card: input.card,
        status: 'READY',
        failure_code: null,
        failure_message: null,
        approved_at: null,
        settles_at: null,
        canceled_at: null,
        cancel_reason: null,
        canceled_amount: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPaymentObject(row);
  }

  /**
   * Confirms (charges) a payment, idempotent by paymentKey: the first confirm decides by the card, and
   * every repeat answers the same. A slow card answers once its approval completes.
   */
  async confirm(input: { paymentKey: string; orderId: string; amount: number }): Promise<PaymentObject> {
    let row = await this.ctx.transaction(async (trx) => {
      const current = await this.lock(trx, input.paymentKey);
      const problem = confirmRequestProblem({
        payment: { orderNumber: current.order_number, amount: current.amount },
        orderId: input.orderId,
        amount: input.amount,
      });
      if (problem) throw pgFailure(400, problem);
      const now = new Date();
      const effect = current.status === 'READY' ? confirmEffect(current.card) : undefined;
      return trx
        .updateTable('pg_payments')
        .set((eb) => ({
          confirm_requests: eb('confirm_requests', '+', 1),
          ...(effect?.status === 'DONE' ? { status: 'DONE' as const, approved_at: now } : {}),
          ...(effect?.status === 'IN_PROGRESS'
            ? { status: 'IN_PROGRESS' as const, settles_at: new Date(now.getTime() + this.slowConfirmMs) }
            : {}),
          ...(effect?.status === 'ABORTED'
            ? {
                status: 'ABORTED' as const,
                failure_code: effect.failure.code,
                failure_message: effect.failure.message,
              }
            : {}),
        }))
        .where('payment_key', '=', input.paymentKey)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    if (row.status === 'IN_PROGRESS' && row.settles_at) {
      await sleep(Math.max(0, row.settles_at.getTime() - Date.now()));
      row = await this.settle(row.payment_key);
    }
    if (row.status === 'ABORTED') {
      throw pgFailure(400, {
        code: row.failure_code ?? 'PAYMENT_FAILED',
        message: row.failure_message ?? '',
      });
    }
    return toPaymentObject(row);
  }

  /**
   * Refunds a payment in full, or `cancelAmount` of it (a partial cancel). A repeat with the same
   * Idempotency-Key (or a full cancel of a CANCELED payment) answers the same and refunds nothing.
   */
  async cancel(
    paymentKey: string,
    input: { cancelReason: string; cancelAmount?: number | undefined },
    idempotencyKey?: string | undefined,
  ) {
    await this.settle(paymentKey);
    return this.ctx.transaction(async (trx) => {
      const current = await this.lock(trx, paymentKey);
      const cancels = await this.cancelsOf(trx, paymentKey);
      if (idempotencyKey && cancels.some((c) => c.idempotency_key === idempotencyKey)) {
        return toPaymentObject(current, cancels);
      }
      const balance = current.amount - cancels.reduce((sum, c) => sum + c.amount, 0);
      const decision = cancelDecision(current.status, balance, input.cancelAmount);
      if (decision.kind === 'refuse') throw pgFailure(403, decision.failure);
      if (decision.kind === 'repeat') return toPaymentObject(current, cancels);
      const now = new Date();
      const cancel = await trx
        .insertInto('pg_cancels')
        .values({
          transaction_key: `${paymentKey}-c${cancels.length + 1}`,
          payment_key: paymentKey,
          idempotency_key: idempotencyKey ?? null,
          amount: decision.amount,
          reason: input.cancelReason,
          canceled_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const left = balance - decision.amount;
      const row = await trx
        .updateTable('pg_payments')
        .set({
          status: left === 0 ? 'CANCELED' : 'PARTIAL_CANCELED',
          canceled_at: now,
          cancel_reason: input.cancelReason,
          canceled_amount: current.amount - left,
        })
        .where('payment_key', '=', paymentKey)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPaymentObject(row, [...cancels, cancel]);
    });
  }

  async get(paymentKey: string) {
    const row = await this.settle(paymentKey);
    return toPaymentObject(row, await this.ctx.transaction((trx) => this.cancelsOf(trx, paymentKey)));
  }

  private cancelsOf(db: Trx, paymentKey: string): Promise<CancelRow[]> {
    return db
      .selectFrom('pg_cancels')
      .selectAll()
      .where('payment_key', '=', paymentKey)
      .orderBy('canceled_at')
      .orderBy('transaction_key')
      .execute();
  }

  /** The latest payment of an order (Toss: GET /v1/payments/orders/{orderId}). */
  async byOrder(orderNumber: string) {
    const latest = await this.ctx.db
      .selectFrom('pg_payments')
      .select('payment_key')
      .where('order_number', '=', orderNumber)
      .orderBy('requested_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!latest)
      throw pgFailure(404, { code: 'NOT_FOUND_PAYMENT', message: `No payment for order ${orderNumber}` });
    return this.get(latest.payment_key);
  }

  /** Completes a slow approval whose time has come (lazily, so a restart loses nothing). */
  private async settle(paymentKey: string): Promise<Row> {
    const row = await this.ctx.db
      .selectFrom('pg_payments')
      .selectAll()
      .where('payment_key', '=', paymentKey)
      .executeTakeFirst();
    if (!row) throw notFound(paymentKey);
    if (!isSettled(row.status, row.settles_at, new Date())) return row;
    const settled = await this.ctx.db
      .updateTable('pg_payments')
      .set((eb) => ({ status: 'DONE', approved_at: eb.ref('settles_at') }))
      .where('payment_key', '=', paymentKey)
      .where('status', '=', 'IN_PROGRESS')
      .returningAll()
      .executeTakeFirst();
    return (
      settled ??
      (await this.ctx.db
        .selectFrom('pg_payments')
        .selectAll()
        .where('payment_key', '=', paymentKey)
        .executeTakeFirstOrThrow())
    );
  }

  private async lock(trx: Trx, paymentKey: string): Promise<Row> {
    const row = await trx
      .selectFrom('pg_payments')
      .selectAll()
      .where('payment_key', '=', paymentKey)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound(paymentKey);
    return row;
  }
}
