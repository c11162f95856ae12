import type { OutboxStorage, OutgoingMessage } from './chat-stream.ts';

// The chat's unconfirmed messages in the tab's sessionStorage, one entry per signed-in user: a reload
// or a closed panel before the server's echo sends them again (same clientMessageId, stored once).
// Another user signing in on the tab never sees them, and signing out clears them.

const PREFIX = 'sagamart.chat.outbox:';
/** More than anyone types unanswered; a bound on what the tab keeps. */
const MAX_KEPT = 50;

type KeyedStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

function tabStorage(): KeyedStorage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

export function sessionOutbox(userId: string, storage: KeyedStorage | null = tabStorage()): OutboxStorage {
  const key = PREFIX + userId;
  return {
    load() {
      try {
        const value: unknown = JSON.parse(storage?.getItem(key) ?? '[]');
        return Array.isArray(value) ? value.filter(isOutgoing).slice(-MAX_KEPT) : [];
      } catch {
        return [];
      }
    },
    save(messages) {
      try {
        if (messages.length === 0) storage?.removeItem(key);
        else storage?.setItem(key, JSON.stringify(messages.slice(-MAX_KEPT)));
      } catch {
        // Storage full or blocked: the messages still go while the page stays open.
      }
    },
  };
}

/** Signed out: no one's unsent words stay in the tab. */
export function clearSessionOutboxes(storage: KeyedStorage | null = tabStorage()): void {
  if (!storage) return;
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(PREFIX)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}

function isOutgoing(value: unknown): value is OutgoingMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  const error = m.error as Record<string, unknown> | undefined;
  return (
    typeof m.conversationId === 'string' &&
    typeof m.clientMessageId === 'string' &&
    typeof m.text === 'string' &&
    (m.sends === undefined || typeof m.sends === 'number') &&
    (error === undefined ||
      (typeof error === 'object' &&
        error !== null &&
        typeof error.code === 'string' &&
        typeof error.message === 'string'))
  );
}
