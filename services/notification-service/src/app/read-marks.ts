import type { NotificationKind, NotificationReadMessage } from '@sagamart/contracts';
import type { NotificationStore } from '../infra/notification-store.ts';

/**
 * The user's read marks (REST), told to every socket of the user once they changed, so their other
 * tabs and devices show them read without a reload.
 */
export class ReadMarks {
  constructor(
    private readonly store: NotificationStore,
    private readonly announce: (userId: string, read: NotificationReadMessage) => void,
  ) {}

  /** False when the user has no such notification, or may not see it (`hidden`). */
  async markRead(userId: string, hidden: readonly NotificationKind[], id: string): Promise<boolean> {
    const result = await this.store.markRead(userId, hidden, id);
    if (result === 'marked') this.announce(userId, { type: 'read', id });
    return result !== 'missing';
  }

  async markAllRead(userId: string, hidden: readonly NotificationKind[]): Promise<void> {
    const upTo = await this.store.markAllRead(userId, hidden);
    if (upTo > 0) this.announce(userId, { type: 'read', upTo });
  }
}
