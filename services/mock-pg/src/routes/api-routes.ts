import { timingSafeEqual } from 'node:crypto';
import { TestCard } from '@sagamart/contracts';
import { ProblemSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { pgModule } from '../app/module.ts';
import { pgFailure } from '../app/pg-payments.ts';
import type { MockPgDb } from '../infra/schema.ts';

const tags = ['payments'];
const PaymentKeyParams = Type.Object({ paymentKey: Type.String({ minLength: 1, maxLength: 200 }) });
const Amount = Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 });
const OrderIdText = Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' });

const PaymentObject = Type.Object({
  mId: Type.String(),
  paymentKey: Type.String(),
  orderId: Type.String(),
  orderName: Type.String(),
  status: Type.Enum(['READY', 'IN_PROGRESS', 'DONE', 'ABORTED', 'CANCELED', 'PARTIAL_CANCELED']),
  method: Type.String(),
  totalAmount: Type.Integer(),
  balanceAmount: Type.Integer(),
  requestedAt: Type.String(),
  approvedAt: Type.Union([Type.String(), Type.Null()]),
  card: Type.Object({ company: Type.String(), number: Type.String(), testCard: Type.String() }),
  cancels: Type.Array(
    Type.Object({
      cancelAmount: Type.Integer(),
      cancelReason: Type.String(),
      canceledAt: Type.Union([Type.String(), Type.Null()]),
      transactionKey: Type.String(),
    }),
  ),
  failure: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
});

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/**
 * The server API, after Toss Payments: `Authorization: Basic base64(secretKey + ":")`. Errors are
 * problem+json that also carry Toss's `code` and `message`.
 */
export function registerApiRoutes(app: ServiceApp, ctx: ServiceContext<MockPgDb>): void {
  const { payments } = pgModule(ctx);
  const expected = Buffer.from(
    `Basic ${Buffer.from(`${ctx.config.string('mockPg.secretKey')}:`).toString('base64')}`,
  );

  const authorize = (req: FastifyRequest) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw pgFailure(401, {
        code: 'UNAUTHORIZED_KEY',
        message: '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.',
      });
    }
  };

  app.post(
    '/v1/payments/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm (charge) a payment; idempotent by paymentKey',
        body: Type.Object({
          paymentKey: Type.String({ minLength: 1, maxLength: 200 }),
          orderId: OrderIdText,
          amount: Amount,
        }),
        response: { 200: PaymentObject, ...errors },
      },
    },
    async (req) => {
      authorize(req);
      return payments.confirm(req.body);
    },
  );

  app.post(
    '/v1/payments/:paymentKey/cancel',
    {
      schema: {
        tags,
        summary:
          'Cancel (refund) a payment in full, or cancelAmount of it (partial); idempotent (a partial cancel by its Idempotency-Key)',
        params: PaymentKeyParams,
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
        }),
        body: Type.Object({
          cancelReason: Type.String({ minLength: 1, maxLength: 200 }),
          cancelAmount: Type.Optional(Amount),
        }),
        response: { 200: PaymentObject, ...errors },
      },
    },
    async (req) => {
      authorize(req);
      return payments.cancel(req.params.paymentKey, req.body, req.headers['idempotency-key']);
    },
  );

  app.get(
    '/v1/payments/:paymentKey',
    {
      schema: {
        tags,
        summary: 'Look a payment up by paymentKey',
        params: PaymentKeyParams,
        response: { 200: PaymentObject, ...errors },
      },
    },
    async (req) => {
      authorize(req);
      return payments.get(req.params.paymentKey);
    },
  );

  app.get(
    '/v1/payments/orders/:orderId',
    {
      schema: {
        tags,
        summary: "Look up an order's latest payment",
        params: Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: PaymentObject, ...errors },
      },
    },
    async (req) => {
      authorize(req);
      return payments.byOrder(req.params.orderId);
    },
  );

  app.post(
    '/v1/payments/test-checkout',
    {
      schema: {
        tags,
        summary: 'Not in Toss: what the checkout page does, for server-side test payments (load tests)',
        body: Type.Object({
          orderNumber: OrderIdText,
          amount: Amount,
          orderName: Type.String({ minLength: 1, maxLength: 100 }),
          card: TestCard,
        }),
        response: { 200: PaymentObject, ...errors },
      },
    },
    async (req) => {
      authorize(req);
      return payments.start(req.body);
    },
  );
}
