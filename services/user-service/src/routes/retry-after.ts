import { Problem } from '@sagamart/kit';

/** Runs fn; a problem that carries `retryAfterSeconds` also sets the Retry-After header. */
export async function withRetryAfter<T>(
  reply: { header(name: string, value: string): unknown },
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const seconds = error instanceof Problem ? error.extensions.retryAfterSeconds : undefined;
    if (typeof seconds === 'number') reply.header('retry-after', String(seconds));
    throw error;
  }
}
