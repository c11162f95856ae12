import { OrderNumber, PAYMENT_STATUSES, PaymentView } from '@sagamart/contracts';
import { problemResponses } from '@sagamart/kit';
import { Type } from 'typebox';

export const ConfirmBody = Type.Object(
  {
    orderNumber: OrderNumber,
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

export const OrderNumberParams = Type.Object({ orderNumber: OrderNumber });

export const problems = problemResponses(400, 401, 403, 404, 409);
