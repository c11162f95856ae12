import {
  type EventContract,
  ExchangeApproved,
  ExchangeCompleted,
  ExchangePickupCancelled,
  ExchangeRejected,
  ExchangeRequested,
  OrderCancelled,
  OrderPaid,
  OrderPlaced,
  PaymentRefunded,
  ReturnApproved,
  ReturnCompleted,
  ReturnPickupCancelled,
  ReturnRejected,
  ReturnRequested,
  ShipmentDelivered,
  ShipmentDispatched,
  UserRegistered,
  UserUpdated,
} from '@sagamart/contracts';
import { defineService, type EventHandler, on } from '@sagamart/kit';
import { DASHBOARD_ONLY_EVENTS } from './app/dashboard.ts';
import { FANOUT_CHANNEL, notificationModule, receiveFanout } from './app/module.ts';
import { notificationDefaults } from './app/settings.ts';
import type { OrderEventFacts } from './domain/notification-rules.ts';
import { newestVersionsRetention } from './infra/newest-versions.ts';
import { migrations, type NotificationDb } from './infra/schema.ts';
import { registerDashboardRoutes } from './routes/dashboard-routes.ts';
import { registerNotificationRoutes } from './routes/notification-routes.ts';
import { registerSocketRoute } from './routes/socket-route.ts';

export type { NotificationDb } from './infra/schema.ts';

/**
 * The events that make notifications, by contract name (see domain/notification-rules.ts for what each
 * makes); the topology's notification-service entry lists the same events. Tests publish them by name.
 */
export const NOTIFYING_EVENTS = {
  OrderPlaced,
  OrderPaid,
  OrderCancelled,
  PaymentRefunded,
  ShipmentDispatched,
  ShipmentDelivered,
  ReturnRequested,
  ReturnApproved,
  ReturnRejected,
  ReturnPickupCancelled,
  ReturnCompleted,
  ExchangeRequested,
  ExchangeApproved,
  ExchangeRejected,
  ExchangePickupCancelled,
  ExchangeCompleted,
} satisfies Record<string, EventContract>;

export default defineService<NotificationDb>({
  name: 'notification-service',
  port: 8089,
  description:
    'Notifications: order, payment, shipping and claim events become per-user notifications in Korean ' +
    '(REST, and a resumable ' +
    'WebSocket at /ws/notifications), fanned out across instances; and the admin sales dashboard, a read ' +
    'model of order, claim, stock and chat events (GET /api/admin/dashboard).',
  defaults: notificationDefaults,
  refreshable: [
    'notifications.keepPerUser',
    'notifications.socket.maxBufferedBytes',
    'notifications.retention.newestVersionsSeconds',
  ],
  migrations,
  retention: (ctx) => [
    newestVersionsRetention(ctx.db, () =>
      Math.max(
        ctx.config.number('notifications.retention.newestVersionsSeconds'),
        ctx.config.number('retention.inboxSeconds'),
      ),
    ),
  ],
  handlers: (ctx) => {
    const { recorder, users, dashboard } = notificationModule(ctx);
    const notifying: EventContract[] = Object.values(NOTIFYING_EVENTS);
    // One handler per event: its notifications and the dashboard, in the same transaction (one inbox row).
    const projected: EventHandler<NotificationDb>[] = [...notifying, ...DASHBOARD_ONLY_EVENTS].map(
      (contract) => ({
        contract,
        handle: async (payload, context) => {
          if (notifying.includes(contract))
            await recorder.record(contract.name, payload as OrderEventFacts, context);
          await dashboard.apply(context.trx, contract.name, payload);
        },
      }),
    );
    return [
      ...projected,
      on(UserRegistered, (user, { trx }) =>
        users.apply(trx, { userId: user.userId, version: user.version, isAdmin: isActiveAdmin(user) }),
      ),
      on(UserUpdated, (user, { trx }) =>
        users.apply(trx, { userId: user.userId, version: user.version, isAdmin: isActiveAdmin(user) }),
      ),
    ];
  },
  routes: async (app, ctx) => {
    registerNotificationRoutes(app, ctx);
    registerDashboardRoutes(app, ctx);
    await registerSocketRoute(app, ctx);
  },
  async onStart(ctx) {
    const module = notificationModule(ctx);
    module.hub.start();
    module.fanout = await ctx.transport?.onBroadcast(FANOUT_CHANNEL, (payload) =>
      receiveFanout(ctx, payload),
    );
  },
  async onStop(ctx) {
    const module = notificationModule(ctx);
    module.hub.stop();
    await module.fanout?.close();
  },
});

function isActiveAdmin(user: { role: string; status: string }): boolean {
  return user.role === 'ADMIN' && user.status === 'ACTIVE';
}
