import type { NotificationView } from '@sagamart/contracts';
import type { EventContext } from '@sagamart/kit';
import { draftsFor, type OrderEventFacts } from '../domain/notification-rules.ts';
import { stepOf, superseded } from '../domain/step-order.ts';
import type { KnownUsers } from '../infra/known-users.ts';
import type { NewestVersions } from '../infra/newest-versions.ts';
import type { NotificationStore } from '../infra/notification-store.ts';
import type { NotificationDb } from '../infra/schema.ts';

export type Committed = (userId: string, notification: NotificationView) => void;

/**
 * Turns one consumed event into its notifications, in the handler's transaction (the kit's inbox
 * dedupes the event itself; the dedupe key folds different events about one change into one). A step
 * of an order, claim or shipment older than one already handled makes none (events come out of order). Once
 * committed, each new notification goes to the live sockets of every instance.
 */
export class RecordNotifications {
  constructor(
    private readonly store: NotificationStore,
    private readonly users: KnownUsers,
    private readonly versions: NewestVersions,
    private readonly keepPerUser: () => number,
    private readonly committed: Committed,
  ) {}

  async record(eventName: string, event: OrderEventFacts, context: EventContext<NotificationDb>) {
    const { trx, messageId, afterCommit } = context;
    // Before any notification: a step that makes none (an exchange's parcel arriving) still counts.
    const step = stepOf(eventName, event);
    if (step && superseded(step, await this.versions.advance(trx, step))) return;
    const drafts = draftsFor(eventName, event);
    if (drafts.length === 0) return;
    const admins = drafts.some((d) => d.audience === 'admins') ? await this.users.admins(trx) : [];
    const deliveries = drafts.flatMap((draft) =>
      (draft.audience === 'owner' ? [event.userId] : admins).map((userId) => ({ userId, draft })),
    );
    // Sequence rows are locked in one global order, so two events sharing recipients cannot deadlock.
    deliveries.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    const made: Array<{ userId: string; notification: NotificationView }> = [];
    for (const { userId, draft } of deliveries) {
      const notification = await this.store.append(trx, userId, draft, messageId, this.keepPerUser());
      if (notification) made.push({ userId, notification });
    }
    if (made.length === 0) return;
    afterCommit(() => {
      for (const m of made) this.committed(m.userId, m.notification);
    });
  }
}
