import { type Static, Type } from 'typebox';
import { ClaimStatus } from '../shipping.ts';
import { OrderStatusSchema } from './orders.ts';

// The admin's sales dashboard (GET /api/admin/dashboard, ADMIN): notification-service's small read
// model of order, shipping, claim, stock and chat events (docs/adr/0007-dashboard-read-model.md). Money is
// integer won; days are Asia/Seoul calendar days (yyyy-MM-dd).

const Won = Type.Integer({ minimum: 0 });
const Count = Type.Integer({ minimum: 0 });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

/** Orders paid on a day (or over days) and what they brought in, cancelled orders left out. */
export const SalesFigure = Type.Object({ sales: Won, orders: Count });

export const DashboardDay = Type.Object({ date: Day, ...SalesFigure.properties });

export const AdminDashboard = Type.Object({
  /** When the figures were read. */
  generatedAt: Type.String({ format: 'date-time' }),
  today: DashboardDay,
  /** The last seven days, today included. */
  week: Type.Object({
    ...SalesFigure.properties,
    days: Type.Array(DashboardDay, { minItems: 7, maxItems: 7 }),
  }),
  /** Every order the dashboard has heard of, by its current status (statuses with none left out). */
  ordersByStatus: Type.Array(Type.Object({ status: OrderStatusSchema, count: Count })),
  /** Best sellers of the last seven days by units, cancelled orders left out (at most five). */
  topProducts: Type.Array(
    Type.Object({ productId: Type.Integer(), productName: Type.String(), quantity: Count, sales: Won }),
    { maxItems: 5 },
  ),
  /**
   * SKUs on sale with at most `lowStockThreshold` units left (at most ten), the most urgent first:
   * sold out ones, then those whose stock moved most recently.
   */
  lowStock: Type.Array(
    Type.Object({
      skuId: Type.Integer(),
      productId: Type.Integer(),
      productName: Type.String(),
      skuCode: Type.String(),
      /** The option values, e.g. "블랙 / L"; empty for a product without options. */
      optionLabel: Type.String(),
      stock: Count,
    }),
    { maxItems: 10 },
  ),
  lowStockThreshold: Count,
  /** How many SKUs on sale are that low, listed or not (absent from servers before it was added). */
  lowStockTotal: Type.Optional(Count),
  /** Returns and exchanges requested and not yet completed or rejected. */
  openClaims: Type.Object({
    returns: Count,
    exchanges: Count,
    /** The most recent open claims (at most five). */
    recent: Type.Array(
      Type.Object({
        claimId: Type.String(),
        kind: Type.Union([Type.Literal('RETURN'), Type.Literal('EXCHANGE')]),
        orderId: Type.String(),
        orderNumber: Type.String(),
        status: ClaimStatus,
        requestedAt: Type.String({ format: 'date-time' }),
      }),
      { maxItems: 5 },
    ),
  }),
  /** chat-service's conversations not yet resolved: queued (WAITING) and with an agent (OPEN). */
  openChats: Type.Object({ waiting: Count, inProgress: Count }),
});
export type AdminDashboard = Static<typeof AdminDashboard>;
