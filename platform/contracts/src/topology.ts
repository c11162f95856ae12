import type { Topology } from './define.ts';

/**
 * The declared messaging topology: queue (one per consuming service) → event names it consumes.
 * A service's consumers must match its entry here; the kit checks that at start.
 */
export const topology: Topology = {
  'auth-service': ['user.registered', 'user.updated'],
  'catalog-service': [
    'product.created',
    'product.updated',
    'product.deleted',
    'category.created',
    'category.updated',
    'category.deleted',
    'keyword.created',
    'keyword.updated',
    'keyword.deleted',
    'stock.changed',
  ],
  'payment-service': ['order.placed', 'order.cancelled', 'point.charge.requested', 'point.charge.cancelled'],
  'order-service': ['payment.approved', 'payment.failed', 'payment.refunded'],
  'user-service': ['payment.approved', 'payment.failed', 'payment.refunded'],
  // Shipping, return and exchange events join this list when their contracts exist.
  // Agent and customer names, and who is an agent (user.updated carries role changes).
  'chat-service': ['user.registered', 'user.updated'],
  'notification-service': [
    'order.placed',
    'order.paid',
    'order.cancelled',
    'payment.refunded',
    'user.registered',
    'user.updated',
  ],
};
