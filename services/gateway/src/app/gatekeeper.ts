import type { Identity, RateLimiter } from '@sagamart/kit';
import { authorize } from '../domain/access-policy.ts';
import type { BearerToken } from '../domain/header-policy.ts';
import type { RouteRole } from '../domain/route-table.ts';
import { type AccessTokenVerifier, InvalidTokenError } from '../infra/access-tokens.ts';
import { KeysUnavailableError } from '../infra/jwks-key-store.ts';
import {
  authenticationRequired,
  invalidToken,
  keysUnavailable,
  rateLimited,
  revocationsUnavailable,
  wrongRole,
} from './gateway-problems.ts';
import type { LiveSettings } from './live-settings.ts';
import type { RevocationFeed } from './revocation-feed.ts';

export interface AdmissionRequest {
  credential: BearerToken;
  role: RouteRole;
  /** Rate-limit class. */
  rateLimit: string;
  /** The address the client is counted by (client-address.ts). */
  clientIp: string;
}

/**
 * Decides whether a request goes through: who the caller is (a presented token must be valid, even
 * on public routes, and is refused while the revocation feed has never been read), whether the route
 * lets them in, and whether their rate limit has room. Throws a GatewayProblem (401, 403, 429, 503)
 * otherwise.
 */
export class Gatekeeper {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly limiter: RateLimiter,
    private readonly settings: LiveSettings,
    /** The service that issues tokens, named when its keys or revocations are unavailable. */
    private readonly issuer: string,
    private readonly revocations: Pick<RevocationFeed, 'loaded' | 'retryAfterSeconds'>,
  ) {}

  async admit(entry: AdmissionRequest): Promise<Identity | undefined> {
    const identity = await this.identify(entry.credential);
    const decision = authorize(entry.role, identity);
    if (decision === 'unauthenticated') throw authenticationRequired();
    if (decision === 'forbidden') throw wrongRole(entry.role);
    await this.throttle(entry.rateLimit, identity, entry.clientIp);
    return identity;
  }

  async identify(credential: BearerToken): Promise<Identity | undefined> {
    if (credential.kind === 'none') return undefined;
    if (credential.kind === 'malformed')
      throw invalidToken('the Authorization header is not "Bearer <token>"');
    let identity: Identity;
    try {
      identity = await this.verifier.verify(credential.token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw invalidToken(error.message);
      if (error instanceof KeysUnavailableError) throw keysUnavailable(this.issuer);
      throw error;
    }
    // Checked after the token itself, so one that is not valid anyway still gets its 401 (and a refresh).
    if (!this.revocations.loaded)
      throw revocationsUnavailable(this.issuer, this.revocations.retryAfterSeconds);
    return identity;
  }

  /** Callers are told apart by user id when signed in, by address otherwise or when the class says so. */
  private async throttle(
    rateLimitClass: string,
    identity: Identity | undefined,
    clientIp: string,
  ): Promise<void> {
    const limits = this.settings.value.rateLimits;
    const limit = limits[rateLimitClass] ?? limits.default!;
    const subject = identity && !limit.perAddress ? `user:${identity.userId}` : `ip:${clientIp}`;
    // The limit is part of the key: a refreshed limit starts fresh buckets (raising it helps at once).
    const key = `${rateLimitClass}/${limit.capacity}/${limit.refillPerSecond}:${subject}`;
    const decision = await this.limiter.take(key, limit);
    if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
  }
}
