import { Problem, ServiceCallError } from '@sagamart/kit';

/**
 * Turns a failed call to auth-service into the answer for our caller: auth's own 4xx problems pass
 * through (with their field errors); an unreachable or failing auth becomes 503.
 */
export function fromAuthFailure(error: unknown, action: string): unknown {
  if (!(error instanceof ServiceCallError)) return error;
  const status = error.status ?? 0;
  if (error.kind === 'http' && status >= 400 && status < 500) {
    const problem = error.problem;
    // auth knows no credential for a user we have: a data problem on our side, not the caller's 404.
    if (status === 404)
      return new Problem(409, 'This account has no credential in auth-service', { code: 'no-credential' });
    const code = problem?.type?.split(':').at(-1) ?? 'upstream';
    const retryAfterSeconds = problem?.retryAfterSeconds;
    return new Problem(status, problem?.detail ?? error.message, {
      code,
      ...(problem?.errors ? { errors: problem.errors } : {}),
      ...(typeof retryAfterSeconds === 'number' ? { extensions: { retryAfterSeconds } } : {}),
    });
  }
  return new Problem(503, `${action} is temporarily unavailable; please try again shortly`, {
    code: 'auth-unavailable',
    extensions: { retryAfterSeconds: 5 },
  });
}
