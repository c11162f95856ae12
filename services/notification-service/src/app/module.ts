import type { NotificationView } from '@sagamart/contracts';
import type { ServiceContext, Subscription } from '@sagamart/kit';
import { Counter, Gauge } from 'prom-client';
import { DashboardStore } from '../infra/dashboard-store.ts';
import { KnownUsers } from '../infra/known-users.ts';
import { NotificationStore } from '../infra/notification-store.ts';
import type { NotificationDb } from '../infra/schema.ts';
import { SalesDashboard } from './dashboard.ts';
import { type HubSettings, LiveHub } from './live-hub.ts';
import { RecordNotifications } from './record-notifications.ts';

/** The fan-out channel: every instance hears every committed notification. */
export const FANOUT_CHANNEL = 'notifications';

export interface FanoutMessage {
  userId: string;
  notification: NotificationView;
}

export interface NotificationModule {
  store: NotificationStore;
  users: KnownUsers;
  hub: LiveHub;
  recorder: RecordNotifications;
  dashboard: SalesDashboard;
  /** This instance's subscription to the fan-out channel, while started. */
  fanout?: Subscription | undefined;
}

const modules = new WeakMap<ServiceContext<NotificationDb>, NotificationModule>();

export function notificationModule(ctx: ServiceContext<NotificationDb>): NotificationModule {
  let module = modules.get(ctx);
  if (!module) {
    const { config } = ctx;
    const store = new NotificationStore(ctx.db);
    const hub = new LiveHub(
      store,
      (): HubSettings => ({
        resumeTimeoutMs: config.number('notifications.socket.resumeTimeoutMs'),
        pingMs: config.number('notifications.socket.pingMs'),
        maxBufferedBytes: config.number('notifications.socket.maxBufferedBytes'),
        replayBatch: config.number('notifications.socket.replayBatch'),
        sweepMs: config.number('notifications.sweepMs'),
      }),
      ctx.log,
      hubMetrics(ctx, () => hub.connections),
    );
    const users = new KnownUsers();
    const recorder = new RecordNotifications(
      store,
      users,
      () => config.number('notifications.keepPerUser'),
      (userId, notification) => {
        // This instance's sockets at once; the others through the transport's fan-out.
        hub.deliver(userId, notification);
        const message: FanoutMessage = { userId, notification };
        ctx.transport
          ?.broadcast(FANOUT_CHANNEL, message)
          .catch((error) =>
            ctx.log.warn({ err: error }, 'notification fan-out failed; the sweep delivers it'),
          );
      },
    );
    const dashboard = new SalesDashboard(new DashboardStore(), () =>
      config.number('dashboard.lowStockThreshold'),
    );
    module = { store, users, hub, recorder, dashboard };
    modules.set(ctx, module);
  }
  return module;
}

/** `notification_sockets` (open sockets on this instance) and the server's closes by code. */
function hubMetrics(ctx: ServiceContext<NotificationDb>, connections: () => number) {
  new Gauge({
    name: 'notification_sockets',
    help: 'Open /ws/notifications sockets on this instance',
    registers: [ctx.metrics.registry],
    collect() {
      this.set(connections());
    },
  });
  const closes = new Counter({
    name: 'notification_socket_closes_total',
    help: 'Sockets the server closed, by close code (4008: the client read too slowly)',
    labelNames: ['code'],
    registers: [ctx.metrics.registry],
  });
  return { closedByServer: (code: number) => closes.inc({ code: String(code) }) };
}
