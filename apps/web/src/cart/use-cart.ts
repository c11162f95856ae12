import { useSyncExternalStore } from 'react';
import { type CartSnapshot, type CartStore, cart } from './cart-store.ts';

export type CartActions = Pick<CartStore, 'add' | 'update' | 'remove' | 'clear' | 'replace'>;

// Bound once: stable references, safe in effect dependencies.
const actions: CartActions = {
  add: (item) => cart.add(item),
  update: (skuId, quantity) => cart.update(skuId, quantity),
  remove: (skuId) => cart.remove(skuId),
  clear: () => cart.clear(),
  replace: (items) => cart.replace(items),
};

/** The cart's lines and unit count, re-rendering on every change (in this tab or another), and its actions. */
export function useCart(): CartSnapshot & CartActions {
  const snapshot = useSyncExternalStore(cart.subscribe, cart.getSnapshot);
  return { ...snapshot, ...actions };
}
