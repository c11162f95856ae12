import { Type } from 'typebox';
import { PAYMENT_STATUSES, PaymentView, PgOrderNumber } from '../ordering.ts';

export const ConfirmBody = Type.Object(
  {
    orderNumber: PgOrderNumber,
    paymentKey: Type.String({ minLength: 1, maxLength: 200 }),
    amount: Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 }),
  },
  { additionalProperties: false },
);

export const PaymentStatusSchema = Type.Enum(PAYMENT_STATUSES);

export const OrderPaymentsSchema = Type.Object({
  orderId: Type.String(),
  orderNumber: Type.String(),
  payableAmount: Type.Integer(),
  orderCancelled: Type.Boolean(),
  cancelReason: Type.Union([Type.String(), Type.Null()]),
  payment: Type.Union([PaymentView, Type.Null()]),
  payments: Type.Array(PaymentView),
});

/** An order's number, or a points charge's (PNT-…): both are paid the same way. */
export const OrderNumberParams = Type.Object({ orderNumber: PgOrderNumber });
