import { requireIdentity } from '@sagamart/kit';

// The public shapes live in @sagamart/contracts, where the web reads their types.
export * from '@sagamart/contracts/http/products';

export const tags = {
  categories: ['admin: categories'],
  products: ['admin: products'],
  images: ['images'],
  internal: ['internal'],
};

/**
 * Route guard run before the body is read or validated: a caller without the ADMIN role gets 401/403,
 * never a validation error (and an upload is not read at all).
 */
export async function adminOnly(req: Parameters<typeof requireIdentity>[0]): Promise<void> {
  requireIdentity(req, 'ADMIN');
}
