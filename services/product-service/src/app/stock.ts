import {
  type ClaimReason,
  type ClaimType,
  type SkuStatus,
  StockChanged,
  type StockMovementType,
  type StockReservation,
  type StockReservationRequest,
} from '@sagamart/contracts';
import {
  conflict,
  fetchPage,
  lockForTransaction,
  type MessagingTables,
  notFound,
  type Page,
  Problem,
  type ServiceContext,
  sql,
  type Transaction,
} from '@sagamart/kit';
import {
  applyMovement,
  MAX_SKU_UNITS,
  planReservation,
  reservationState,
  returnMovementFor,
  StockRuleError,
  skuStatusFor,
} from '../domain/stock-rules.ts';
import type { ProductDb } from '../infra/schema.ts';

type Trx = Transaction<ProductDb & MessagingTables>;

export interface StockAdjustment {
  /** ADJUST: a signed correction (stock count, damage, …); RESTOCK: goods received. */
  type: 'ADJUST' | 'RESTOCK';
  quantity: number;
  reason: string;
}

export interface SkuStock {
  skuId: number;
  skuCode: string;
  status: SkuStatus;
  stock: number;
  reserved: number;
  sold: number;
  held: number;
}

/** The admin's decision on held units after inspecting them: on sale again, or written off. */
export interface HeldDecision {
  type: 'RELEASE_HELD' | 'DISCARD';
  quantity: number;
  reason?: string | undefined;
}

export interface MovementView {
  id: number;
  skuId: number;
  skuCode: string;
  type: StockMovementType;
  /** Signed change of available stock. */
  quantity: number;
  /** Signed change of held units: HOLD +, RELEASE_HELD and DISCARD −, else 0. */
  heldChange: number;
  stockAfter: number;
  reservedAfter: number;
  soldAfter: number;
  heldAfter: number;
  reason: string | null;
  orderId: string | null;
  claimType: ClaimType | null;
  orderNumber: string | null;
  actor: string | null;
  createdAt: string;
}

/**
 * What a movement keyed by an order's or a claim's id is for: the claim's type when the key is a
 * return's or an exchange's claim id (null: an order's), and the order's number when the request or
 * event that caused it named one. The history shows what the admin knows, never the key.
 */
export interface MovementSubject {
  claimType: ClaimType | null;
  orderNumber: string | null;
}

/** A movement keyed by a return's or an exchange's claim id (not an order's). */
export interface ClaimSubject extends MovementSubject {
  claimType: ClaimType;
}

/** An order's (or a claim's) stock movement, as lockOrder reads it. */
interface OrderMovement {
  id: number;
  sku_id: number;
  type: StockMovementType;
  quantity: number;
}

interface LockedSku {
  id: number;
  product_id: number;
  sku_code: string;
  status: SkuStatus;
  stock: number;
  reserved: number;
  sold: number;
  held: number;
}

function ruleProblem(error: unknown): unknown {
  if (!(error instanceof StockRuleError)) return error;
  if (error.code === 'invalid-quantity') return new Problem(400, error.message, { code: error.code });
  if (error.code === 'stock-limit')
    return new Problem(409, error.message, { code: error.code, extensions: { limit: MAX_SKU_UNITS } });
  return conflict(error.message, error.code);
}

/**
 * The stock ledger: every movement of a SKU's stock is a row in stock_movements and a stock.changed
 * event, written with the SKU row locked. Multi-SKU operations (an order's reservation) lock their
 * SKUs in id order, so two orders never deadlock, and are idempotent by order id.
 */
export class StockLedger {
  constructor(private readonly ctx: ServiceContext<ProductDb>) {}

  /** An admin correction or restock of one SKU; the reason is required and kept in the history. */
  async adjust(
    productId: number,
    skuId: number,
    adjustment: StockAdjustment,
    actor: string | null,
  ): Promise<SkuStock> {
    return this.ctx.transaction(async (trx) => {
      const [sku] = await this.lockSkus(trx, [skuId]);
      if (!sku || sku.product_id !== productId) throw notFound(`Product ${productId} has no SKU ${skuId}`);
      return this.move(trx, sku, adjustment.type, adjustment.quantity, {
        reason: adjustment.reason.trim(),
        orderId: null,
        actor,
      });
    });
  }

  /**
   * Held units of one SKU after the admin inspected them: RELEASE_HELD puts them on sale, DISCARD
   * writes them off (409 when fewer are held). The admin's note, if any, is kept in the history.
   */
  async decideHeld(
    productId: number,
    skuId: number,
    decision: HeldDecision,
    actor: string | null,
  ): Promise<SkuStock> {
    return this.ctx.transaction(async (trx) => {
      const [sku] = await this.lockSkus(trx, [skuId]);
      if (!sku || sku.product_id !== productId) throw notFound(`Product ${productId} has no SKU ${skuId}`);
      return this.move(trx, sku, decision.type, decision.quantity, {
        reason: decision.reason?.trim() || null,
        orderId: null,
        actor,
      });
    });
  }

  async history(
    productId: number,
    filter: { skuId?: number | undefined; type?: StockMovementType | undefined; page: number; size: number },
  ): Promise<Page<MovementView>> {
    const db = this.ctx.db;
    const product = await db
      .selectFrom('products')
      .select('id')
      .where('id', '=', productId)
      .executeTakeFirst();
    if (!product) throw notFound(`Product ${productId} does not exist`);
    let query = db
      .selectFrom('stock_movements as m')
      .innerJoin('skus as s', 's.id', 'm.sku_id')
      .where('m.product_id', '=', productId);
    if (filter.skuId !== undefined) query = query.where('m.sku_id', '=', filter.skuId);
    if (filter.type) query = query.where('m.type', '=', filter.type);
    const page = await fetchPage(
      query,
      (q) =>
        q
          .select([
            'm.id',
            'm.sku_id',
            's.sku_code',
            'm.type',
            'm.quantity',
            'm.held_change',
            'm.stock_after',
            'm.reserved_after',
            'm.sold_after',
            'm.held_after',
            'm.reason',
            'm.order_id',
            'm.claim_type',
            'm.order_number',
            'm.actor',
            'm.created_at',
          ])
          .orderBy('m.id', 'desc'),
      filter,
    );
    const content = page.content.map((m) => ({
      id: m.id,
      skuId: m.sku_id,
      skuCode: m.sku_code,
      type: m.type,
      quantity: m.quantity,
      heldChange: m.held_change,
      stockAfter: m.stock_after,
      reservedAfter: m.reserved_after,
      soldAfter: m.sold_after,
      heldAfter: m.held_after,
      reason: m.reason,
      orderId: m.order_id,
      claimType: m.claim_type,
      orderNumber: m.order_number,
      actor: m.actor,
      createdAt: m.created_at.toISOString(),
    }));
    return { ...page, content };
  }

  /**
   * Reserves every item of an order or none (409 naming each line that cannot be served). Repeating
   * it for the same order returns the existing reservation. Pass `trx` to run inside the caller's
   * transaction (an event handler's, next to its inbox row); `subject` says what the key is for.
   */
  async reserve(
    request: StockReservationRequest,
    actor: string | null,
    trx?: Trx,
    subject?: MovementSubject,
  ): Promise<StockReservation> {
    return this.inTransaction(trx, async (t) => {
      const { movements: previous, tombstone } = await this.lockOrder(t, request.orderId);
      if (previous.length) return this.reservationOf(request.orderId, previous);
      // A release that overtook this reserve (the saga gave the order up) left a tombstone: take nothing.
      if (tombstone) return { orderId: request.orderId, state: 'RELEASED', items: [] };
      const ids = [...new Set(request.items.map((i) => i.skuId))];
      const skus = await this.lockSkus(t, ids, true);
      const plan = planReservation(
        request.items,
        skus.map((s) => ({ ...s, productOrderable: s.productOrderable })),
      );
      if (!plan.ok) {
        const unknown = plan.problems.some((p) => p.reason === 'unknown-sku');
        const code = unknown
          ? 'unknown-sku'
          : plan.problems.some((p) => p.reason === 'unavailable')
            ? 'sku-unavailable'
            : 'insufficient-stock';
        throw new Problem(
          unknown ? 404 : 409,
          `Order ${request.orderId} cannot be reserved: ${plan.problems.map((p) => p.message).join('; ')}`,
          {
            code,
            errors: plan.problems.map((p) => ({ field: `sku.${p.skuId}`, message: p.message })),
          },
        );
      }
      for (const line of plan.lines) {
        await this.move(t, skus.find((s) => s.id === line.skuId)!, 'RESERVE', line.quantity, {
          reason: null,
          orderId: request.orderId,
          actor,
          subject,
        });
      }
      return {
        orderId: request.orderId,
        state: 'RESERVED',
        items: plan.lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
      };
    });
  }

  /**
   * Gives an order's stock back, idempotently: reserved units are released (cancelled before payment,
   * payment failed), sold units are restocked (cancelled after payment). Releasing an order that
   * reserved nothing leaves a tombstone, so a reserve still in flight for it takes nothing.
   */
  async release(
    orderId: string,
    actor: string | null,
    trx?: Trx,
    subject?: MovementSubject,
  ): Promise<StockReservation> {
    return this.settle(orderId, 'RELEASE', actor, trx, subject);
  }

  /** Turns an order's reserved stock into sold stock (paid). Idempotent; 409 once released. */
  async sell(
    orderId: string,
    actor: string | null,
    trx?: Trx,
    subject?: MovementSubject,
  ): Promise<StockReservation> {
    return this.settle(orderId, 'SELL', actor, trx, subject);
  }

  private async settle(
    orderId: string,
    type: 'RELEASE' | 'SELL',
    actor: string | null,
    trx?: Trx,
    subject?: MovementSubject,
  ): Promise<StockReservation> {
    return this.inTransaction(trx, async (t) => {
      const { movements: previous, tombstone } = await this.lockOrder(t, orderId);
      if (subject && previous.length) await this.nameMovements(t, orderId, subject);
      if (previous.length === 0) {
        if (type === 'SELL') {
          if (tombstone)
            throw conflict(`Order ${orderId}'s reservation is already RELEASED`, 'reservation-released');
          throw notFound(`Order ${orderId} has no reservation`);
        }
        await t
          .insertInto('stock_reservation_tombstones')
          .values({ order_id: orderId })
          .onConflict((oc) => oc.doNothing())
          .execute();
        return { orderId, state: 'RELEASED', items: [] };
      }
      const state = reservationState(previous.map((m) => m.type));
      const target = type === 'SELL' ? 'SOLD' : 'RELEASED';
      if (state === target) return this.reservationOf(orderId, previous);
      if (state !== 'RESERVED' && !(state === 'SOLD' && type === 'RELEASE')) {
        throw conflict(
          `Order ${orderId}'s reservation is already ${state}`,
          `reservation-${state.toLowerCase()}`,
        );
      }
      // Reserved units go back with RELEASE; units already sold (a cancel after payment) with RESTOCK.
      const movementType = state === 'SOLD' ? 'RESTOCK' : type;
      const reserved = previous.filter((m) => m.type === 'RESERVE');
      const skus = await this.lockSkus(
        t,
        reserved.map((m) => m.sku_id),
      );
      for (const movement of reserved.sort((a, b) => a.sku_id - b.sku_id)) {
        const sku = skus.find((s) => s.id === movement.sku_id)!;
        await this.move(t, sku, movementType, -movement.quantity, { reason: null, orderId, actor, subject });
      }
      return {
        orderId,
        state: target,
        items: reserved.map((m) => ({ skuId: m.sku_id, quantity: -m.quantity })),
      };
    });
  }

  /**
   * Units a return or an exchange sent back: on sale again (RETURN, sold → available) when the
   * shopper's reason says nothing is wrong with them, else held for inspection (HOLD, sold → held;
   * see returnMovementFor). One movement per SKU keyed by the claim, so a claim is taken back once
   * however often its event arrives. Runs in the caller's transaction (the event handler's, next to
   * its inbox row).
   */
  async returnUnits(
    trx: Trx,
    claimId: string,
    items: ReadonlyArray<{ skuId: number; quantity: number }>,
    reason: ClaimReason | undefined,
    claim: ClaimSubject,
  ): Promise<void> {
    const { movements: previous } = await this.lockOrder(trx, claimId);
    if (previous.some((m) => m.type === 'RETURN' || m.type === 'HOLD')) return;
    const type = returnMovementFor(reason);
    if (previous.length) await this.nameMovements(trx, claimId, claim);
    const bySku = new Map<number, number>();
    for (const item of items) bySku.set(item.skuId, (bySku.get(item.skuId) ?? 0) + item.quantity);
    const skus = await this.lockSkus(trx, [...bySku.keys()]);
    for (const sku of skus) {
      await this.move(trx, sku, type, bySku.get(sku.id)!, {
        reason: null,
        orderId: claimId,
        actor: 'shipping',
        subject: claim,
      });
    }
  }

  /**
   * An exchange's new option ships: its reservation (made at approval, keyed by the claim) is sold.
   * Nothing reserved or already released: nothing to sell (logged; the reservation decides).
   */
  async sellExchange(trx: Trx, claimId: string, claim: ClaimSubject): Promise<void> {
    try {
      await this.sell(claimId, 'shipping', trx, claim);
    } catch (error) {
      if (!(error instanceof Problem) || (error.status !== 404 && error.status !== 409)) throw error;
      this.ctx.log.warn({ claimId, err: error }, 'exchange shipped without a reservation to sell');
    }
  }

  /**
   * Names a key's earlier movements as a later request or event does: an exchange's reservation, made
   * before any event named the order; an order's, reserved before its requests carried the number.
   * Called with the key's lock held (lockOrder).
   */
  private async nameMovements(trx: Trx, key: string, subject: MovementSubject): Promise<void> {
    const { claimType, orderNumber } = subject;
    if (claimType === null && orderNumber === null) return;
    await trx
      .updateTable('stock_movements')
      .set((eb) => ({
        ...(claimType === null ? {} : { claim_type: claimType }),
        order_number: eb.fn.coalesce('order_number', eb.val(orderNumber)),
      }))
      .where('order_id', '=', key)
      .where((eb) =>
        eb.or([
          ...(claimType === null ? [] : [eb('claim_type', 'is', null)]),
          ...(orderNumber === null ? [] : [eb('order_number', 'is', null)]),
        ]),
      )
      .execute();
  }

  private inTransaction<T>(trx: Trx | undefined, fn: (trx: Trx) => Promise<T>): Promise<T> {
    return trx ? fn(trx) : this.ctx.transaction(fn);
  }

  /**
   * Serializes everything about one order, then returns its movements so far and whether a release
   * left a tombstone for it (read in one statement after the lock is held, so it sees what the
   * previous holder committed).
   */
  private async lockOrder(
    trx: Trx,
    orderId: string,
  ): Promise<{ movements: OrderMovement[]; tombstone: boolean }> {
    await lockForTransaction(trx, `stock-order:${orderId}`);
    const row = await trx
      .selectNoFrom((eb) => [
        sql<OrderMovement[]>`(select coalesce(json_agg(m order by m.id), '[]') from (${eb
          .selectFrom('stock_movements')
          .select(['id', 'sku_id', 'type', 'quantity'])
          .where('order_id', '=', orderId)}) as m)`.as('movements'),
        eb
          .exists(
            eb.selectFrom('stock_reservation_tombstones').select('order_id').where('order_id', '=', orderId),
          )
          .as('tombstone'),
      ])
      .executeTakeFirstOrThrow();
    return { movements: row.movements, tombstone: Boolean(row.tombstone) };
  }

  private reservationOf(
    orderId: string,
    movements: Array<{ sku_id: number; type: StockMovementType; quantity: number }>,
  ): StockReservation {
    return {
      orderId,
      state: reservationState(movements.map((m) => m.type)),
      items: movements
        .filter((m) => m.type === 'RESERVE')
        .map((m) => ({ skuId: m.sku_id, quantity: -m.quantity })),
    };
  }

  /** Locks SKU rows in id order (the one order every multi-SKU writer uses). */
  private async lockSkus(
    trx: Trx,
    ids: number[],
    withProduct = false,
  ): Promise<Array<LockedSku & { removed: boolean; productOrderable: boolean }>> {
    if (ids.length === 0) return [];
    const rows = await trx
      .selectFrom('skus as s')
      .innerJoin('products as p', 'p.id', 's.product_id')
      .select([
        's.id',
        's.product_id',
        's.sku_code',
        's.status',
        's.removed',
        's.stock',
        's.reserved',
        's.sold',
        's.held',
        'p.status as product_status',
        'p.displayed',
        'p.deleted_at',
      ])
      .where(
        's.id',
        'in',
        [...ids].sort((a, b) => a - b),
      )
      .orderBy('s.id')
      .forUpdate('s')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      product_id: r.product_id,
      sku_code: r.sku_code,
      status: r.status,
      removed: r.removed,
      stock: r.stock,
      reserved: r.reserved,
      sold: r.sold,
      held: r.held,
      productOrderable: withProduct
        ? r.product_status === 'ACTIVE' && r.displayed && r.deleted_at === null
        : true,
    }));
  }

  /** One movement of a locked SKU: new levels and status, a history row and a stock.changed event. */
  private async move(
    trx: Trx,
    sku: LockedSku,
    type: StockMovementType,
    quantity: number,
    meta: {
      reason: string | null;
      orderId: string | null;
      actor: string | null;
      subject?: MovementSubject | undefined;
    },
  ): Promise<SkuStock> {
    let result: ReturnType<typeof applyMovement>;
    try {
      result = applyMovement(sku, type, quantity, meta.orderId !== null);
    } catch (error) {
      throw ruleProblem(error);
    }
    const { levels } = result;
    // What HOLD and DISCARD did (their `quantity`, the change of available stock, is 0).
    const heldChange = levels.held - sku.held;
    const status = skuStatusFor(sku.status, levels.stock);
    const now = new Date();
    // The SKU's new levels and the history row in one statement: the update as a CTE of the insert.
    const movement = await trx
      .with('sku', (db) =>
        db
          .updateTable('skus')
          .set((eb) => ({ ...levels, status, stock_version: eb('stock_version', '+', 1), updated_at: now }))
          .where('id', '=', sku.id)
          .returning('stock_version'),
      )
      .insertInto('stock_movements')
      .values({
        sku_id: sku.id,
        product_id: sku.product_id,
        type,
        quantity: result.quantity,
        held_change: heldChange,
        stock_after: levels.stock,
        reserved_after: levels.reserved,
        sold_after: levels.sold,
        held_after: levels.held,
        reason: meta.reason,
        order_id: meta.orderId,
        claim_type: meta.subject?.claimType ?? null,
        order_number: meta.subject?.orderNumber ?? null,
        actor: meta.actor,
      })
      .returning((eb) => ['id', eb.selectFrom('sku').select('stock_version').as('stock_version')])
      .executeTakeFirstOrThrow();
    // The SKU row is locked (lockSkus): the update found it.
    if (movement.stock_version === null) throw new Error(`SKU ${sku.id} was not updated`);
    await this.ctx.publish(trx, StockChanged, {
      productId: sku.product_id,
      skuId: sku.id,
      skuCode: sku.sku_code,
      version: movement.stock_version,
      movement: { id: movement.id, type, quantity: result.quantity, heldChange, orderId: meta.orderId },
      // What the catalog sells from; held units are product-service's own (never on sale).
      stock: levels.stock,
      reserved: levels.reserved,
      sold: levels.sold,
      status,
      occurredAt: now.toISOString(),
    });
    Object.assign(sku, levels, { status });
    return { skuId: sku.id, skuCode: sku.sku_code, status, ...levels };
  }
}
