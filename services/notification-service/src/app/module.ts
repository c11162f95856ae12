import { NotificationReadMessage, type NotificationView } from '@sagamart/contracts';
import type { ServiceContext, Subscription } from '@sagamart/kit';
import { Counter, Gauge } from 'prom-client';
import { Compile } from 'typebox/compile';
import { DashboardStore } from '../infra/dashboard-store.ts';
import { KnownUsers } from '../infra/known-users.ts';
import { NewestVersions } from '../infra/newest-versions.ts';
import { NotificationStore } from '../infra/notification-store.ts';
import type { NotificationDb } from '../infra/schema.ts';
import { SalesDashboard } from './dashboard.ts';
import { type HubSettings, LiveHub } from './live-hub.ts';
import { ReadMarks } from './read-marks.ts';
import { RecordNotifications } from './record-notifications.ts';

/** The fan-out channel: every instance hears every committed notification and every read mark. */
export const FANOUT_CHANNEL = 'notifications';

export type FanoutMessage =
  | { userId: string; notification: NotificationView }
  /** `origin`: the instance that made the mark and already told its own sockets. */
  | { userId: string; read: NotificationReadMessage; origin: string };

const readMessage = Compile(NotificationReadMessage);

export interface NotificationModule {
  store: NotificationStore;
  users: KnownUsers;
  hub: LiveHub;
  recorder: RecordNotifications;
  readMarks: ReadMarks;
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
    // This instance's sockets at once; the others through the transport's fan-out.
    const fanOut = (message: FanoutMessage, lost: string) =>
      ctx.transport?.broadcast(FANOUT_CHANNEL, message).catch((error) => ctx.log.warn({ err: error }, lost));
    const recorder = new RecordNotifications(
      store,
      users,
      new NewestVersions(),
      () => config.number('notifications.keepPerUser'),
      (userId, notification) => {
        hub.deliver(userId, notification);
        fanOut({ userId, notification }, 'notification fan-out failed; the sweep delivers it');
      },
    );
    const readMarks = new ReadMarks(store, (userId, read) => {
      hub.deliverRead(userId, read);
      fanOut(
        { userId, read, origin: ctx.instanceId },
        'read mark fan-out failed; other instances’ tabs see it on their next read',
      );
    });
    const dashboard = new SalesDashboard(new DashboardStore(), () =>
      config.number('dashboard.lowStockThreshold'),
    );
    module = { store, users, hub, recorder, readMarks, dashboard };
    modules.set(ctx, module);
  }
  return module;
}

/**
 * A fan-out message from any instance (this one too: a notification is sent once per socket whatever
 * the copies, but a read mark would be pushed twice, so the instance skips its own).
 */
export function receiveFanout(ctx: ServiceContext<NotificationDb>, payload: unknown): void {
  const { hub } = notificationModule(ctx);
  const message = payload as Partial<Record<'userId' | 'notification' | 'read' | 'origin', unknown>> | null;
  if (typeof message?.userId !== 'string') return;
  if (message.notification) hub.deliver(message.userId, message.notification as NotificationView);
  else if (message.origin !== ctx.instanceId && readMessage.Check(message.read))
    hub.deliverRead(message.userId, message.read);
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
