import fastifyCookie from '@fastify/cookie';
import type { ServiceApp } from '@sagamart/kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenPair } from '../app/sessions.ts';

// Browsers get the refresh token as an HttpOnly cookie that no script can read, scoped to the auth
// routes (refresh and logout need it, nothing else is sent it). SameSite=Strict keeps other sites'
// requests from carrying it, and refresh and logout take only JSON bodies, which a cross-origin page
// cannot send without a CORS preflight the gateway refuses. Secure: browsers accept it on
// http://localhost too (a potentially trustworthy origin), so development needs no exception.

export const REFRESH_COOKIE = 'sagamart_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';

/** Where a login wants its refresh token: `cookie` (browsers, the default) or `body` (other clients). */
export type TokenDelivery = 'cookie' | 'body';
export const TOKEN_DELIVERIES = ['cookie', 'body'] as const;

export async function registerRefreshCookie(app: ServiceApp): Promise<void> {
  await app.register(fastifyCookie);
}

const cookieOptions = {
  httpOnly: true,
  secure: true,
  sameSite: 'strict',
  path: REFRESH_COOKIE_PATH,
} as const;

/** The refresh token a request carries, and the channel it came in: the body first, else the cookie. */
export function presentedRefreshToken(
  req: FastifyRequest,
  body: { refreshToken?: string | undefined } | undefined,
): { token: string; channel: TokenDelivery } | undefined {
  if (body?.refreshToken) return { token: body.refreshToken, channel: 'body' };
  const cookie = req.cookies[REFRESH_COOKIE];
  return cookie ? { token: cookie, channel: 'cookie' } : undefined;
}

/** Answers a pair: the refresh token in the body, or set as the cookie and left out of the body. */
export function deliverPair(reply: FastifyReply, pair: TokenPair, channel: TokenDelivery) {
  if (channel === 'body') return pair;
  const { refreshToken, ...rest } = pair;
  reply.setCookie(REFRESH_COOKIE, refreshToken, { ...cookieOptions, maxAge: pair.refreshExpiresIn });
  return rest;
}

export function clearRefreshCookie(reply: FastifyReply): void {
  reply.clearCookie(REFRESH_COOKIE, cookieOptions);
}
