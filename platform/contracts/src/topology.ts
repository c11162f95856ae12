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
  'payment-service': [
    'order.placed',
    'order.cancelled',
    'point.charge.requested',
    'point.charge.cancelled',
    'return.completed',
  ],
  'order-service': [
    // Buyers' names and e-mails for the admin's order list and detail.
    'user.registered',
    'user.updated',
    'payment.approved',
    'payment.failed',
    'payment.refunded',
    'shipment.dispatched',
    'shipment.in-transit',
    'shipment.delivered',
    'shipment.cancelled',
    'purchase.confirmed',
    'return.requested',
    'return.approved',
    'return.rejected',
    'return.collecting',
    'return.pickup-cancelled',
    'return.completed',
    'exchange.requested',
    'exchange.approved',
    'exchange.rejected',
    'exchange.collecting',
    'exchange.pickup-cancelled',
    'exchange.collected',
    'exchange.completed',
  ],
  'user-service': [
    'payment.approved',
    'payment.failed',
    'payment.refunded',
    'return.completed',
    'purchase.confirmed',
  ],
  // After-sale participants (issue 10): restock, refund, coupon back.
  'product-service': ['return.completed', 'exchange.collected', 'exchange.rejected'],
  'promotion-service': ['return.completed'],
  // shipping-service makes a shipment of every paid order (order.paid carries the lines and the receiver).
  // The consumers of its events (platform/contracts/src/shipping.ts, SHIPPING_EVENTS) add them to their
  // own entries together with their handlers: order-service (shipment.*, purchase.confirmed, return.*,
  // exchange.*), payment-service (return.completed), product-service (return.completed,
  // exchange.collected, exchange.rejected), user-service (return.completed, purchase.confirmed), promotion-service
  // (return.completed), notification-service (the ones that notify: see its notification-rules.ts).
  'shipping-service': ['order.paid'],
  // Agent and customer names, and who is an agent (user.updated carries role changes).
  'chat-service': ['user.registered', 'user.updated'],
  'notification-service': [
    'order.placed',
    'order.paid',
    'order.cancelled',
    'payment.refunded',
    'shipment.dispatched',
    'shipment.delivered',
    'return.requested',
    'return.approved',
    'return.rejected',
    'return.pickup-cancelled',
    'return.completed',
    'exchange.requested',
    'exchange.approved',
    'exchange.rejected',
    'exchange.pickup-cancelled',
    'exchange.completed',
    'user.registered',
    'user.updated',
    // The admin dashboard's low-stock list (docs/adr/0007-dashboard-read-model.md).
    'product.created',
    'product.updated',
    'product.deleted',
    'stock.changed',
    // Open chats on the dashboard (chat-service's conversation state changes).
    'chat.conversation-opened',
    'chat.conversation-assigned',
    'chat.conversation-resolved',
    // Claim statuses on the dashboard (no notification): picked up, and an exchange's old options back.
    'return.collecting',
    'exchange.collecting',
    'exchange.collected',
  ],
};
