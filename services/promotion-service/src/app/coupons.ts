import {
  conflict,
  fetchPage,
  isUniqueViolation,
  likeContains,
  notFound,
  Problem,
  type ServiceContext,
  sql,
} from '@sagamart/kit';
import type { CouponDisplayStatus } from '../domain/coupon-lifecycle.ts';
import { type DiscountType, discountTermsProblems, type PromotionStatus } from '../domain/discount-rules.ts';
import type { PromotionDb } from '../infra/schema.ts';
import { invalidFields } from './problems.ts';
import { type CouponRow, toCouponView, toMyCouponView } from './views.ts';

export interface CouponInput {
  code: string;
  name: string;
  discountType: DiscountType;
  discountValue: number;
  minOrderAmount: number;
  maxDiscount: number | null;
  validFrom: string;
  validTo: string;
  totalIssueLimit: number | null;
  status: PromotionStatus;
}

function toRow(input: CouponInput) {
  const row = {
    code: input.code.trim().toUpperCase(),
    name: input.name.trim(),
    discount_type: input.discountType,
    discount_value: input.discountValue,
    min_order_amount: input.minOrderAmount,
    max_discount: input.maxDiscount,
    valid_from: new Date(input.validFrom),
    valid_to: new Date(input.validTo),
    total_issue_limit: input.totalIssueLimit,
    status: input.status,
  };
  const problems = discountTermsProblems({
    discountType: row.discount_type,
    discountValue: row.discount_value,
    maxDiscount: row.max_discount,
    minOrderAmount: row.min_order_amount,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  });
  if (problems.length) throw invalidFields(problems);
  return row;
}

const codeTaken = (code: string) =>
  conflict(`A coupon with code ${code} already exists`, 'COUPON_CODE_TAKEN');
const noSuchCoupon = () => new Problem(404, 'No coupon has this code', { code: 'COUPON_NOT_FOUND' });

const notClaimable = (detail: string, reason: string) =>
  new Problem(409, detail, { code: 'COUPON_NOT_CLAIMABLE', extensions: { reason } });

const exhausted = () => conflict('Every coupon of this kind has been issued', 'COUPON_EXHAUSTED');

/** Why a coupon cannot be claimed at `now`, if it cannot (its issue limit aside). */
function claimRefusal(coupon: CouponRow, now: Date): Problem | undefined {
  // A code that is switched off or not yet announced answers as an unknown one: a guess learns nothing.
  if (coupon.status !== 'ACTIVE' || now < coupon.valid_from) return noSuchCoupon();
  if (now > coupon.valid_to) return notClaimable('This coupon has expired', 'EXPIRED');
  return undefined;
}

type CouponTerms = ReturnType<typeof toRow>;

/**
 * The fields an edit would change that its holders' coupons depend on. Holders see (and pay with)
 * the coupon's current terms, so once one is issued only the name, the status, the limit (never
 * below what was issued) and a later end may change: nothing a holder could lose by.
 */
function heldTermsChanged(current: CouponRow, next: CouponTerms): string[] {
  const changed: string[] = [];
  if (next.code !== current.code) changed.push('code');
  if (next.discount_type !== current.discount_type) changed.push('discountType');
  if (next.discount_value !== current.discount_value) changed.push('discountValue');
  if (next.min_order_amount !== current.min_order_amount) changed.push('minOrderAmount');
  if (next.max_discount !== current.max_discount) changed.push('maxDiscount');
  if (next.valid_from.getTime() !== current.valid_from.getTime()) changed.push('validFrom');
  if (next.valid_to.getTime() < current.valid_to.getTime()) changed.push('validTo');
  return changed;
}

const termsLocked = (issued: number, fields: string[]) =>
  new Problem(
    409,
    `${issued} coupons are already issued, so their terms cannot change (${fields.join(', ')}); ` +
      'only the name, the status, the issue limit and a later end may. Create a new coupon for new terms.',
    { code: 'COUPON_ISSUED', extensions: { fields } },
  );

/** Coupons: admin CRUD, and the shopper's claims and list. */
export class Coupons {
  constructor(private readonly ctx: ServiceContext<PromotionDb>) {}

  async create(input: CouponInput) {
    const row = toRow(input);
    try {
      const created = await this.ctx.db
        .insertInto('coupons')
        .values(row)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toCouponView(created);
    } catch (error) {
      if (isUniqueViolation(error)) throw codeTaken(row.code);
      throw error;
    }
  }

  async list(query: {
    page: number;
    size: number;
    status?: PromotionStatus | undefined;
    q?: string | undefined;
  }) {
    let base = this.ctx.db.selectFrom('coupons');
    if (query.status) base = base.where('status', '=', query.status);
    if (query.q) {
      const like = likeContains(query.q);
      base = base.where((eb) => eb.or([eb('code', 'ilike', like), eb('name', 'ilike', like)]));
    }
    return fetchPage(
      base,
      (q) => q.selectAll().orderBy('id', 'desc'),
      query,
      (rows) => rows.map(toCouponView),
    );
  }

  async get(id: number) {
    const row = await this.ctx.db.selectFrom('coupons').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`No coupon ${id}`);
    return toCouponView(row);
  }

  async update(id: number, input: CouponInput) {
    const row = toRow(input);
    return this.ctx.transaction(async (trx) => {
      const current = await trx
        .selectFrom('coupons')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw notFound(`No coupon ${id}`);
      if (row.total_issue_limit !== null && row.total_issue_limit < current.issued_count) {
        throw invalidFields([
          {
            field: 'totalIssueLimit',
            message: `${current.issued_count} coupons are already issued; the limit cannot be lower`,
          },
        ]);
      }
      if (current.issued_count > 0) {
        const locked = heldTermsChanged(current, row);
        if (locked.length) throw termsLocked(current.issued_count, locked);
      }
      try {
        const updated = await trx
          .updateTable('coupons')
          .set({ ...row, updated_at: new Date() })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return toCouponView(updated);
      } catch (error) {
        if (isUniqueViolation(error)) throw codeTaken(row.code);
        throw error;
      }
    });
  }

  /** Only a coupon nobody holds can be deleted; otherwise deactivate it. */
  async delete(id: number) {
    await this.ctx.transaction(async (trx) => {
      const current = await trx
        .selectFrom('coupons')
        .select('issued_count')
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw notFound(`No coupon ${id}`);
      if (current.issued_count > 0) {
        throw conflict(
          `${current.issued_count} users hold this coupon; set it INACTIVE instead`,
          'COUPON_IN_USE',
        );
      }
      await trx.deleteFrom('coupons').where('id', '=', id).execute();
    });
  }

  /**
   * Issues the coupon with this code to the user. The issue counter is bumped with a conditional
   * UPDATE (the row lock serialises concurrent claims, so the limit is never passed) and the
   * (coupon, user) unique key allows one per user; both in one transaction.
   */
  async claim(userId: string, couponCode: string, now = new Date()) {
    const code = couponCode.trim().toUpperCase();
    return this.ctx.transaction(async (trx) => {
      const coupon = await trx.selectFrom('coupons').selectAll().where('code', '=', code).executeTakeFirst();
      if (!coupon) throw noSuchCoupon();
      const refused = claimRefusal(coupon, now);
      if (refused) throw refused;
      const held = await trx
        .selectFrom('user_coupons')
        .select('id')
        .where('coupon_id', '=', coupon.id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (held) throw conflict('You already hold this coupon', 'COUPON_ALREADY_CLAIMED');
      // The read above took no lock: an admin's edit committing meanwhile (switched off, ended) is
      // seen here, where the row is locked, and answered as it would have been there.
      const bumped = await trx
        .updateTable('coupons')
        .set({ issued_count: sql`issued_count + 1` })
        .where('id', '=', coupon.id)
        .where('status', '=', 'ACTIVE')
        .where('valid_from', '<=', now)
        .where('valid_to', '>=', now)
        .where((eb) =>
          eb.or([eb('total_issue_limit', 'is', null), eb('issued_count', '<', eb.ref('total_issue_limit'))]),
        )
        .returningAll()
        .executeTakeFirst();
      if (!bumped) {
        const current = await trx
          .selectFrom('coupons')
          .selectAll()
          .where('id', '=', coupon.id)
          .executeTakeFirst();
        throw current ? (claimRefusal(current, now) ?? exhausted()) : noSuchCoupon();
      }
      try {
        const issued = await trx
          .insertInto('user_coupons')
          .values({ coupon_id: coupon.id, user_id: userId, status: 'ISSUED' })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toMyCouponView(issued, bumped, now);
      } catch (error) {
        // A concurrent claim by the same user won; throwing rolls the counter back too.
        if (isUniqueViolation(error))
          throw conflict('You already hold this coupon', 'COUPON_ALREADY_CLAIMED');
        throw error;
      }
    });
  }

  /** The user's coupons in every state, newest first; EXPIRED is computed from validTo. */
  async mine(
    userId: string,
    query: { page: number; size: number; status?: CouponDisplayStatus | undefined },
    now = new Date(),
  ) {
    let base = this.ctx.db
      .selectFrom('user_coupons as uc')
      .innerJoin('coupons as c', 'c.id', 'uc.coupon_id')
      .where('uc.user_id', '=', userId);
    switch (query.status) {
      case undefined:
        break;
      case 'EXPIRED':
        base = base.where('uc.status', 'in', ['ISSUED', 'RESTORED']).where('c.valid_to', '<', now);
        break;
      case 'ISSUED':
      case 'RESTORED':
        base = base.where('uc.status', '=', query.status).where('c.valid_to', '>=', now);
        break;
      default:
        base = base.where('uc.status', '=', query.status);
    }
    return fetchPage(
      base,
      (q) =>
        q
          .selectAll('uc')
          .select([
            'c.code',
            'c.name',
            'c.discount_type',
            'c.discount_value',
            'c.min_order_amount',
            'c.max_discount',
            'c.valid_from',
            'c.valid_to',
            'c.total_issue_limit',
            'c.issued_count',
            'c.status as coupon_status',
            'c.created_at as coupon_created_at',
            'c.updated_at as coupon_updated_at',
          ])
          .orderBy('uc.issued_at', 'desc')
          .orderBy('uc.id', 'desc'),
      query,
      (rows) =>
        rows.map((r) =>
          toMyCouponView(
            r,
            {
              id: r.coupon_id,
              code: r.code,
              name: r.name,
              discount_type: r.discount_type,
              discount_value: r.discount_value,
              min_order_amount: r.min_order_amount,
              max_discount: r.max_discount,
              valid_from: r.valid_from,
              valid_to: r.valid_to,
              total_issue_limit: r.total_issue_limit,
              issued_count: r.issued_count,
              status: r.coupon_status,
              created_at: r.coupon_created_at,
              updated_at: r.coupon_updated_at,
            },
            now,
          ),
        ),
    );
  }
}
