import { Problem, ProblemSchema } from './errors.ts';

type ProblemResponses<S extends number> = { [K in S]: typeof ProblemSchema };

/** The problem+json response schemas for a route: `response: { 200: View, ...problemResponses(400, 404) }`. */
export function problemResponses<const S extends number>(...statuses: S[]): ProblemResponses<S> {
  return Object.fromEntries(statuses.map((status) => [status, ProblemSchema])) as ProblemResponses<S>;
}

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
