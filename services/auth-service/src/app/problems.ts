import { Problem } from '@sagamart/kit';

/** One message for unknown email and wrong password alike: no account enumeration. */
export const invalidCredentials = () =>
  new Problem(401, 'Invalid email or password', { code: 'invalid-credentials' });

export const invalidRefreshToken = (detail = 'The refresh token is invalid or expired') =>
  new Problem(401, detail, { code: 'invalid-refresh-token' });

export const accountDisabled = (status: string) =>
  new Problem(403, `This account is ${status.toLowerCase()}`, {
    code: 'account-disabled',
    extensions: { accountStatus: status },
  });

/** The route copies `retryAfterSeconds` into a Retry-After header. */
export const cooldownProblem = (retryAfterSeconds: number) =>
  new Problem(429, `Too many failed logins. Try again in ${retryAfterSeconds} seconds.`, {
    code: 'login-cooldown',
    extensions: { retryAfterSeconds },
  });
