import { notifications } from '@mantine/notifications';
import { mergeGuestCartIntoUserCart } from '../cart/cart-merge.ts';
import { lookupSkuStock } from '../catalog/catalog-api.ts';
import { session } from './session.ts';

/**
 * Logs in and brings the guest's cart into the user's saved one before the next page shows it.
 * Toasts meant for the signed-out visitor (or for whoever used this browser before) go away.
 */
export async function signIn(email: string, password: string) {
  const user = await session.login(email, password);
  if (user) await mergeGuestCartIntoUserCart(user.id, { lookupStock: lookupSkuStock });
  notifications.clean();
  return user;
}
