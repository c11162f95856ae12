import { asRole, hasRole, type Identity } from '@sagamart/kit/pure';
import type { RouteRole } from './route-table.ts';

export type AccessDecision = 'allow' | 'unauthenticated' | 'forbidden';

/**
 * NONE lets anyone in; USER routes take any signed-in user (agents and admins too); AGENT routes take
 * agents and admins; ADMIN routes take admins only.
 */
export function authorize(required: RouteRole, identity: Identity | undefined): AccessDecision {
  if (required === 'NONE') return 'allow';
  if (!identity) return 'unauthenticated';
  return hasRole(identity.role, required) ? 'allow' : 'forbidden';
}

/** What auth-service puts in an access token, checked after the signature, issuer, audience and expiry. */
export function identityFromClaims(
  claims: Record<string, unknown>,
): { identity: Identity } | { error: string } {
  if (claims.token_type !== 'access') return { error: 'not an access token' };
  const { sub, email, role } = claims;
  if (typeof sub !== 'string' || sub === '') return { error: 'the token names no subject' };
  const known = asRole(role);
  if (!known) return { error: 'the token carries no known role' };
  if (typeof email !== 'string') return { error: 'the token carries no e-mail' };
  return { identity: { userId: sub, email, role: known } };
}
