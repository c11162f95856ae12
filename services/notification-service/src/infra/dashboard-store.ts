import type { ClaimStatus } from '@sagamart/contracts';
import type { ConversationStatus } from '@sagamart/contracts/http/chat';
import type { AdminDashboard } from '@sagamart/contracts/http/dashboard';
import { type Kysely, sql } from '@sagamart/kit';
import { lastSeoulDays, type OrderStatus, seoulDay, seoulDayStart, statusRank } from '../domain/dashboard.ts';
import type { NotificationDb } from './schema.ts';

type Db = Kysely<NotificationDb>;

export interface OrderFact {
  orderId: string;
  orderNumber: string;
  status: OrderStatus;
  amount?: number | undefined;
  placedAt?: Date | undefined;
  paidAt?: Date | undefined;
}

export interface SkuFact {
  skuId: number;
  productId: number;
  productName: string;
  skuCode: string;
  optionLabel: string;
  onSale: boolean;
  productVersion: number;
  stock: number;
  stockVersion: number;
  /** The snapshot's time: when its stock was current. */
  stockChangedAt: Date;
}

/** How many SKUs the dashboard lists by name; the rest are counted (`lowStockTotal`). */
const LOW_STOCK_LISTED = 10;

/** The dashboard's tables: idempotent, order-safe writes, and the figures the admin reads. */
export class DashboardStore {
  /** An order's status moves forward only (by rank); amounts and times fill in as they are heard. */
  async applyOrder(db: Db, fact: OrderFact): Promise<void> {
    const rank = statusRank(fact.status);
    await db
      .insertInto('dashboard_orders')
      .values({
        order_id: fact.orderId,
        order_number: fact.orderNumber,
        status: fact.status,
        status_rank: rank,
        amount: fact.amount ?? 0,
        placed_at: fact.placedAt ?? null,
        paid_at: fact.paidAt ?? null,
      })
      .onConflict((oc) =>
        oc.column('order_id').doUpdateSet({
          status: sql`case when excluded.status_rank > dashboard_orders.status_rank then excluded.status else dashboard_orders.status end`,
          status_rank: sql`greatest(dashboard_orders.status_rank, excluded.status_rank)`,
          amount: fact.amount === undefined ? sql`dashboard_orders.amount` : sql`excluded.amount`,
          placed_at: sql`coalesce(dashboard_orders.placed_at, excluded.placed_at)`,
          paid_at: sql`coalesce(dashboard_orders.paid_at, excluded.paid_at)`,
        }),
      )
      .execute();
  }

  async addOrderLines(
    db: Db,
    orderId: string,
    lines: Array<{
      orderItemId: number;
      productId: number;
      productName: string;
      quantity: number;
      amount: number;
    }>,
  ): Promise<void> {
    if (lines.length === 0) return;
    await db
      .insertInto('dashboard_order_lines')
      .values(
        lines.map((l) => ({
          order_id: orderId,
          order_item_id: l.orderItemId,
          product_id: l.productId,
          product_name: l.productName,
          quantity: l.quantity,
          amount: l.amount,
        })),
      )
      .onConflict((oc) => oc.columns(['order_id', 'order_item_id']).doNothing())
      .execute();
  }

  /** A claim's status, when this event is newer than the one held. */
  async applyClaim(
    db: Db,
    claim: {
      claimId: string;
      kind: 'RETURN' | 'EXCHANGE';
      orderId: string;
      orderNumber: string;
      status: ClaimStatus;
      open: boolean;
      version: number;
      requestedAt?: Date | undefined;
    },
  ): Promise<void> {
    await db
      .insertInto('dashboard_claims')
      .values({
        claim_id: claim.claimId,
        kind: claim.kind,
        order_id: claim.orderId,
        order_number: claim.orderNumber,
        status: claim.status,
        open: claim.open,
        version: claim.version,
        requested_at: claim.requestedAt ?? null,
      })
      .onConflict((oc) =>
        oc.column('claim_id').doUpdateSet({
          status: sql`case when excluded.version > dashboard_claims.version then excluded.status else dashboard_claims.status end`,
          open: sql`case when excluded.version > dashboard_claims.version then excluded.open else dashboard_claims.open end`,
          version: sql`greatest(dashboard_claims.version, excluded.version)`,
          requested_at: sql`coalesce(dashboard_claims.requested_at, excluded.requested_at)`,
        }),
      )
      .execute();
  }

  /** A conversation's status, when this event is newer than the one held. */
  async applyChat(
    db: Db,
    chat: { conversationId: string; status: ConversationStatus; version: number },
  ): Promise<void> {
    await db
      .insertInto('dashboard_chats')
      .values({ conversation_id: chat.conversationId, status: chat.status, version: chat.version })
      .onConflict((oc) =>
        oc
          .column('conversation_id')
          .doUpdateSet({ status: sql`excluded.status`, version: sql`excluded.version` })
          .where('dashboard_chats.version', '<', chat.version),
      )
      .execute();
  }

  /** SKU definitions (product version) and stock (stock version), each only when newer. */
  async applySkus(db: Db, skus: SkuFact[]): Promise<void> {
    for (const sku of skus) {
      await db
        .insertInto('dashboard_skus')
        .values({
          sku_id: sku.skuId,
          product_id: sku.productId,
          product_name: sku.productName,
          sku_code: sku.skuCode,
          option_label: sku.optionLabel,
          on_sale: sku.onSale,
          product_version: sku.productVersion,
          stock: sku.stock,
          stock_version: sku.stockVersion,
          stock_changed_at: sku.stockChangedAt,
        })
        .onConflict((oc) =>
          oc.column('sku_id').doUpdateSet({
            product_name: sql`case when excluded.product_version > dashboard_skus.product_version then excluded.product_name else dashboard_skus.product_name end`,
            sku_code: sql`case when excluded.product_version > dashboard_skus.product_version then excluded.sku_code else dashboard_skus.sku_code end`,
            option_label: sql`case when excluded.product_version > dashboard_skus.product_version then excluded.option_label else dashboard_skus.option_label end`,
            on_sale: sql`case when excluded.product_version > dashboard_skus.product_version then excluded.on_sale else dashboard_skus.on_sale end`,
            product_version: sql`greatest(dashboard_skus.product_version, excluded.product_version)`,
            stock: sql`case when excluded.stock_version > dashboard_skus.stock_version then excluded.stock else dashboard_skus.stock end`,
            stock_changed_at: sql`case when excluded.stock_version > dashboard_skus.stock_version then excluded.stock_changed_at else dashboard_skus.stock_changed_at end`,
            stock_version: sql`greatest(dashboard_skus.stock_version, excluded.stock_version)`,
          }),
        )
        .execute();
    }
  }

  /** One SKU's stock after a movement (its row may not exist yet: a placeholder until its product is heard). */
  async applyStock(
    db: Db,
    stock: {
      skuId: number;
      productId: number;
      skuCode: string;
      stock: number;
      version: number;
      occurredAt: Date;
    },
  ): Promise<void> {
    await db
      .insertInto('dashboard_skus')
      .values({
        sku_id: stock.skuId,
        product_id: stock.productId,
        sku_code: stock.skuCode,
        stock: stock.stock,
        stock_version: stock.version,
        stock_changed_at: stock.occurredAt,
      })
      .onConflict((oc) =>
        oc
          .column('sku_id')
          .doUpdateSet({
            stock: sql`excluded.stock`,
            stock_version: sql`excluded.stock_version`,
            stock_changed_at: sql`excluded.stock_changed_at`,
          })
          .where('dashboard_skus.stock_version', '<', stock.version),
      )
      .execute();
  }

  /** A deleted product's SKUs leave the low-stock list (for good: the delete is the product's last version). */
  async productDeleted(db: Db, productId: number, version: number): Promise<void> {
    await db
      .updateTable('dashboard_skus')
      .set({ on_sale: false, product_version: version })
      .where('product_id', '=', productId)
      .where('product_version', '<', version)
      .execute();
  }

  async read(db: Db, now: Date, lowStockThreshold: number): Promise<AdminDashboard> {
    const days = lastSeoulDays(now, 7);
    const weekStart = seoulDayStart(days[0]!);
    const [daily, statuses, top, low, lowCount, claims, recentClaims, chats] = await Promise.all([
      sql<{ day: string; sales: number; orders: number }>`
        select to_char(paid_at at time zone 'Asia/Seoul', 'YYYY-MM-DD') as day,
          coalesce(sum(amount), 0)::bigint as sales, count(*)::int as orders
        from dashboard_orders
        where paid_at >= ${weekStart} and status <> 'CANCELLED'
        group by 1`.execute(db),
      db
        .selectFrom('dashboard_orders')
        .select(['status', sql<number>`count(*)::int`.as('count')])
        .groupBy('status')
        .execute(),
      sql<{ product_id: number; product_name: string; quantity: number; sales: number }>`
        select l.product_id, max(l.product_name) as product_name,
          sum(l.quantity)::int as quantity, sum(l.amount)::bigint as sales
        from dashboard_order_lines l join dashboard_orders o on o.order_id = l.order_id
        where o.paid_at >= ${weekStart} and o.status <> 'CANCELLED'
        group by l.product_id
        order by quantity desc, sales desc, l.product_id
        limit 5`.execute(db),
      // The most urgent first: sold out, then what moved most recently (a SKU that just ran low is
      // news; one low for weeks is known).
      db
        .selectFrom('dashboard_skus')
        .selectAll()
        .where('on_sale', '=', true)
        .where('stock', '<=', lowStockThreshold)
        .orderBy(sql`stock > 0`)
        .orderBy(sql`stock_changed_at desc nulls last`)
        .orderBy('stock')
        .orderBy('sku_id')
        .limit(LOW_STOCK_LISTED)
        .execute(),
      db
        .selectFrom('dashboard_skus')
        .select(sql<number>`count(*)::int`.as('count'))
        .where('on_sale', '=', true)
        .where('stock', '<=', lowStockThreshold)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('dashboard_claims')
        .select(['kind', sql<number>`count(*)::int`.as('count')])
        .where('open', '=', true)
        .groupBy('kind')
        .execute(),
      db
        .selectFrom('dashboard_claims')
        .selectAll()
        .where('open', '=', true)
        // A claim heard of before its *.requested (events come in any order) has no date yet: it
        // counts as open, and is listed once its request arrives.
        .where('requested_at', 'is not', null)
        .orderBy('requested_at', 'desc')
        .orderBy('claim_id')
        .limit(5)
        .execute(),
      db
        .selectFrom('dashboard_chats')
        .select(['status', sql<number>`count(*)::int`.as('count')])
        .where('status', '<>', 'RESOLVED')
        .groupBy('status')
        .execute(),
    ]);
    const byDay = new Map(daily.rows.map((r) => [r.day, r]));
    const week = days.map((date) => ({
      date,
      sales: Number(byDay.get(date)?.sales ?? 0),
      orders: byDay.get(date)?.orders ?? 0,
    }));
    const today = week.find((d) => d.date === seoulDay(now))!;
    const openCount = (kind: string) => claims.find((c) => c.kind === kind)?.count ?? 0;
    const chatCount = (status: ConversationStatus) => chats.find((c) => c.status === status)?.count ?? 0;
    return {
      generatedAt: now.toISOString(),
      today,
      week: {
        sales: week.reduce((sum, d) => sum + d.sales, 0),
        orders: week.reduce((sum, d) => sum + d.orders, 0),
        days: week,
      },
      ordersByStatus: statuses
        .map((s) => ({ status: s.status as OrderStatus, count: s.count }))
        .sort((a, b) => statusRank(a.status) - statusRank(b.status)),
      topProducts: top.rows.map((r) => ({
        productId: Number(r.product_id),
        productName: r.product_name,
        quantity: r.quantity,
        sales: Number(r.sales),
      })),
      lowStock: low.map((s) => ({
        skuId: Number(s.sku_id),
        productId: Number(s.product_id),
        productName: s.product_name,
        skuCode: s.sku_code,
        optionLabel: s.option_label,
        stock: s.stock,
      })),
      lowStockThreshold,
      lowStockTotal: lowCount.count,
      openClaims: {
        returns: openCount('RETURN'),
        exchanges: openCount('EXCHANGE'),
        recent: recentClaims.map((c) => ({
          claimId: c.claim_id,
          kind: c.kind,
          orderId: c.order_id,
          orderNumber: c.order_number,
          status: c.status as ClaimStatus,
          requestedAt: c.requested_at!.toISOString(),
        })),
      },
      openChats: { waiting: chatCount('WAITING'), inProgress: chatCount('OPEN') },
    };
  }
}
