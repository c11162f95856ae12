import { requireIdentity } from '@sagamart/kit';

// The public shapes live in @sagamart/contracts, where the web reads their types.
export * from '@sagamart/contracts/http/catalog';

export async function adminOnly(req: Parameters<typeof requireIdentity>[0]): Promise<void> {
  requireIdentity(req, 'ADMIN');
}
