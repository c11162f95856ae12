import { fetchPage, notFound, Problem, type ServiceContext } from '@sagamart/kit';
import { type DiscountType, discountTermsProblems, type PromotionStatus } from '../domain/discount-rules.ts';
import type { PolicyTarget } from '../domain/pricing.ts';
import type { ProductCatalog } from '../infra/product-catalog.ts';
import type { PromotionDb } from '../infra/schema.ts';
import { invalidFields } from './problems.ts';
import { toPolicyView } from './views.ts';

export interface PolicyInput {
  name: string;
  targetType: PolicyTarget;
  targetId?: number | null | undefined;
  discountType: DiscountType;
  discountValue: number;
  minOrderAmount: number;
  maxDiscount: number | null;
  validFrom: string;
  validTo: string;
  status: PromotionStatus;
}

/** Discount policies (admin): applied automatically by every quote while ACTIVE and valid. */
export class Policies {
  constructor(
    private readonly ctx: ServiceContext<PromotionDb>,
    private readonly catalog: ProductCatalog,
  ) {}

  /** Checks the amount rules and that the target exists at product-service. */
  private async toRow(input: PolicyInput) {
    const targetId = input.targetId ?? null;
    const row = {
      name: input.name.trim(),
      target_type: input.targetType,
      target_id: targetId,
      discount_type: input.discountType,
      discount_value: input.discountValue,
      min_order_amount: input.minOrderAmount,
      max_discount: input.maxDiscount,
      valid_from: new Date(input.validFrom),
      valid_to: new Date(input.validTo),
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
    if (input.targetType === 'ORDER' && targetId !== null) {
      problems.push({ field: 'targetId', message: 'An ORDER policy has no targetId' });
    }
    if (input.targetType !== 'ORDER' && targetId === null) {
      problems.push({ field: 'targetId', message: `A ${input.targetType} policy needs a targetId` });
    }
    if (problems.length) throw invalidFields(problems);
    if (targetId !== null) {
      const exists =
        input.targetType === 'PRODUCT'
          ? await this.catalog.productExists(targetId)
          : await this.catalog.categoryExists(targetId);
      if (!exists) {
        const what = input.targetType === 'PRODUCT' ? 'product' : 'category';
        throw new Problem(422, `There is no ${what} ${targetId}`, {
          code: 'TARGET_NOT_FOUND',
          errors: [{ field: 'targetId', message: `no ${what} ${targetId}` }],
        });
      }
    }
    return row;
  }

  async create(input: PolicyInput) {
    const row = await this.toRow(input);
    const created = await this.ctx.db
      .insertInto('discount_policies')
      .values(row)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPolicyView(created);
  }

  async list(query: {
    page: number;
    size: number;
    status?: PromotionStatus | undefined;
    targetType?: PolicyTarget | undefined;
  }) {
    let base = this.ctx.db.selectFrom('discount_policies');
    if (query.status) base = base.where('status', '=', query.status);
    if (query.targetType) base = base.where('target_type', '=', query.targetType);
    return fetchPage(
      base,
      (q) => q.selectAll().orderBy('id', 'desc'),
      query,
      (rows) => rows.map(toPolicyView),
    );
  }

  async get(id: number) {
    const row = await this.ctx.db
      .selectFrom('discount_policies')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound(`No discount policy ${id}`);
    return toPolicyView(row);
  }

  async update(id: number, input: PolicyInput) {
    const row = await this.toRow(input);
    const updated = await this.ctx.db
      .updateTable('discount_policies')
      .set({ ...row, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw notFound(`No discount policy ${id}`);
    return toPolicyView(updated);
  }

  /** Orders already placed keep the amounts they were quoted; only future quotes change. */
  async delete(id: number) {
    const deleted = await this.ctx.db.deleteFrom('discount_policies').where('id', '=', id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound(`No discount policy ${id}`);
  }
}
