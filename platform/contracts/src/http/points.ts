import { Type } from 'typebox';
import { POINT_CHARGE_STATUSES, PointChargeNumber } from '../points.ts';
import { PageSchema } from './page.ts';
import { LedgerEntrySchema } from './users.ts';

// user-service's public HTTP shapes for the signed-in user's points and points charges.

const Timestamp = Type.String({ format: 'date-time' });

/** `GET /api/users/me/points`: the balance and a page of the ledger (newest first). */
export const MyPointsSchema = Type.Object({ balance: Type.Integer(), ledger: PageSchema(LedgerEntrySchema) });

export const PointChargeStatusSchema = Type.Enum(POINT_CHARGE_STATUSES);

/** A points charge: paid at the PG like an order, with `chargeNumber` as the PG's order number. */
export const PointChargeSchema = Type.Object({
  chargeId: Type.String(),
  chargeNumber: Type.String({ description: 'The PG order number (PNT-yyyyMMdd-XXXXXXXX)' }),
  amount: Type.Integer({ description: 'Won to pay at the PG = points credited once approved' }),
  status: PointChargeStatusSchema,
  orderName: Type.String({ description: 'The label for the PG checkout' }),
  failureCode: Type.Union([Type.String(), Type.Null()]),
  failureMessage: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  paidAt: Type.Union([Timestamp, Type.Null()]),
  refundRequestedAt: Type.Union([Timestamp, Type.Null()]),
  refundedAt: Type.Union([Timestamp, Type.Null()]),
  refundable: Type.Boolean({
    description:
      'PAID and its points unspent (the paid-for points left cover it; earned points never count): ' +
      'POST …/refund would take it now. The one rule the web shows the refund by.',
  }),
});

export const PointChargeBody = Type.Object(
  { amount: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export const ChargeNumberParams = Type.Object({ chargeNumber: PointChargeNumber });
