import type { TestCard } from '@sagamart/contracts';
import { type Config, ServiceCallError, type ServiceClient } from '@sagamart/kit';
import { Type } from 'typebox';
import type { PgAnswer } from '../domain/payment-rules.ts';

// The PG's server API (Toss Payments shape), reached through the kit's service client: discovery,
// a per-call timeout and the circuit breaker of the PG target. Every answer is reduced to a PgAnswer.

const PgPayment = Type.Object({
  paymentKey: Type.String(),
  orderId: Type.String(),
  status: Type.Enum(['READY', 'IN_PROGRESS', 'DONE', 'ABORTED', 'CANCELED', 'PARTIAL_CANCELED']),
  method: Type.String(),
  totalAmount: Type.Integer(),
  approvedAt: Type.Union([Type.String(), Type.Null()]),
  failure: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
});

export class PgClient {
  constructor(
    private readonly client: ServiceClient,
    private readonly config: Config,
  ) {}

  private options(idempotent: boolean) {
    const secret = this.config.string('payment.pg.secretKey');
    return {
      headers: { authorization: `Basic ${Buffer.from(`${secret}:`).toString('base64')}` },
      timeoutMs: this.config.number('payment.pg.timeoutMs'),
      idempotent,
      response: PgPayment,
    };
  }

  /** Confirm is idempotent at the PG, but not retried here: a slow PG would only be asked again. */
  confirm(paymentKey: string, orderNumber: string, amount: number): Promise<PgAnswer> {
    return answer(
      this.client.post(
        '/v1/payments/confirm',
        { paymentKey, orderId: orderNumber, amount },
        this.options(false),
      ),
    );
  }

  lookup(paymentKey: string): Promise<PgAnswer> {
    return answer(this.client.get(`/v1/payments/${encodeURIComponent(paymentKey)}`, this.options(true)));
  }

  cancel(paymentKey: string, cancelReason: string): Promise<PgAnswer> {
    return answer(
      this.client.post(
        `/v1/payments/${encodeURIComponent(paymentKey)}/cancel`,
        { cancelReason },
        this.options(true),
      ),
    );
  }

  /** Gives `cancelAmount` back; the PG does it once per Idempotency-Key (the claim), however often asked. */
  partialCancel(
    paymentKey: string,
    input: { cancelReason: string; cancelAmount: number; idempotencyKey: string },
  ): Promise<PgAnswer> {
    const options = this.options(true);
    return answer(
      this.client.post(
        `/v1/payments/${encodeURIComponent(paymentKey)}/cancel`,
        { cancelReason: input.cancelReason, cancelAmount: input.cancelAmount },
        { ...options, headers: { ...options.headers, 'idempotency-key': input.idempotencyKey } },
      ),
    );
  }

  /** What the hosted checkout page does, without a browser (auto-pay for load tests). */
  async testCheckout(input: {
    orderNumber: string;
    amount: number;
    orderName: string;
    card: TestCard;
  }): Promise<string> {
    const payment = await this.client.post('/v1/payments/test-checkout', input, this.options(false));
    return payment.paymentKey;
  }
}

async function answer(
  call: Promise<{
    status: string;
    method: string;
    approvedAt: string | null;
    failure: { code: string; message: string } | null;
  }>,
): Promise<PgAnswer> {
  try {
    const payment = await call;
    return {
      kind: 'payment',
      status: payment.status as Extract<PgAnswer, { kind: 'payment' }>['status'],
      method: payment.method,
      approvedAt: payment.approvedAt,
      failure: payment.failure,
    };
  } catch (error) {
    if (!(error instanceof ServiceCallError)) throw error;
    // A 4xx is the PG's final answer (declined, unknown key, amount mismatch…), except 401 (our key is
    // wrong: wait for the fix, charge nothing), 408 and 429, which are worth asking again.
    const status = error.status ?? 0;
    if (error.kind === 'http' && status >= 400 && status < 500 && ![401, 408, 429].includes(status)) {
      const code = typeof error.problem?.code === 'string' ? error.problem.code : 'PG_REJECTED';
      const message = typeof error.problem?.message === 'string' ? error.problem.message : error.message;
      return { kind: 'rejected', code, message };
    }
    return { kind: 'unavailable', reason: `${error.kind}: ${error.message}` };
  }
}
