import { ServiceCallError, type ServiceClient } from '@sagamart/kit';
import { Type } from 'typebox';

// product-service's internal API, as far as promotion needs it: whether a policy's target exists.
// The schemas below check only the members read here, so product-service may add fields freely.

/** GET /internal/sync/categories: every category. */
const CategoryList = Type.Object({
  content: Type.Array(Type.Object({ categoryId: Type.Integer() })),
});

/** GET /internal/products/{id}: the product's snapshot (soft-deleted ones included), or 404. */
const Product = Type.Object({ productId: Type.Integer(), deleted: Type.Boolean() });

export class ProductCatalog {
  constructor(private readonly client: ServiceClient) {}

  async categoryExists(categoryId: number): Promise<boolean> {
    const list = await this.client.get('/internal/sync/categories', { response: CategoryList });
    return list.content.some((c) => c.categoryId === categoryId);
  }

  /** A product that exists and is not (soft-)deleted. */
  async productExists(productId: number): Promise<boolean> {
    try {
      const product = await this.client.get(`/internal/products/${productId}`, { response: Product });
      return !product.deleted;
    } catch (error) {
      if (error instanceof ServiceCallError && error.kind === 'http' && error.status === 404) return false;
      throw error;
    }
  }
}
