// Idempotency keys for placing orders: one key per attempt, reused when the same request is sent
// again (a retry after a network error or a lost answer), so the server answers with the order it
// already made instead of reserving stock, coupon and points twice.

/** A random UUID v4; `crypto.randomUUID` needs a secure context, `getRandomValues` does not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface AttemptKeys {
  /** The key for sending `request`: the current attempt's when it is the same request, else a new one. */
  keyFor(request: unknown): string;
  /** The attempt reached an answer that a retry must not repeat (e.g. cancelled): the next send is new. */
  finish(): void;
}

export function createAttemptKeys(newKey: () => string = newIdempotencyKey): AttemptKeys {
  let attempt: { key: string; fingerprint: string } | null = null;
  return {
    keyFor(request) {
      const fingerprint = JSON.stringify(request);
      if (attempt?.fingerprint !== fingerprint) attempt = { key: newKey(), fingerprint };
      return attempt.key;
    },
    finish() {
      attempt = null;
    },
  };
}
