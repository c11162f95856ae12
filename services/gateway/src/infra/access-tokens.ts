import type { Discovery, Identity } from '@sagamart/kit';
import { errors, type JSONWebKeySet, jwtVerify } from 'jose';
import { request } from 'undici';
import { identityFromClaims } from '../domain/access-policy.ts';
import { type JwksKeyStore, KeysUnavailableError } from './jwks-key-store.ts';
import { upstreamAgent } from './upstream-http.ts';

/** The token is not a valid access token (the caller's fault: 401). */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export interface AccessTokenVerifierOptions {
  keys: JwksKeyStore;
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
  /** Tokens auth-service revoked before their expiry (logout, suspension, role change). */
  isRevoked?: (token: { sub: string; iat: number; sid?: string | undefined }) => boolean;
}

/** Verifies auth-service's ES256 access tokens and turns their claims into the caller's identity. */
export class AccessTokenVerifier {
  constructor(private readonly options: AccessTokenVerifierOptions) {}

  /** Throws InvalidTokenError, or KeysUnavailableError when auth-service's keys cannot be had. */
  async verify(token: string): Promise<Identity> {
    let claims: Record<string, unknown>;
    try {
      const verified = await jwtVerify(token, this.options.keys.getKey, {
        // Only ES256: `none`, and HS256 "signed" with the public key as the secret, are refused here.
        algorithms: ['ES256'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      });
      claims = verified.payload;
    } catch (error) {
      if (error instanceof KeysUnavailableError) throw error;
      throw new InvalidTokenError(describe(error));
    }
    const result = identityFromClaims(claims);
    if ('error' in result) throw new InvalidTokenError(result.error);
    const facts = {
      sub: result.identity.userId,
      iat: typeof claims.iat === 'number' ? claims.iat : 0,
      sid: typeof claims.sid === 'string' ? claims.sid : undefined,
    };
    if (this.options.isRevoked?.(facts)) throw new InvalidTokenError('the session has ended');
    return result.identity;
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with ES256';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token was signed with an unknown key';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's "${error.claim}" claim is invalid`;
  return 'the token is malformed';
}

/** Loads the JWKS from an instance of the issuing service, found through discovery. */
export function jwksFromService(
  discovery: Discovery,
  service: string,
  path: string,
  timeoutMs: number,
): () => Promise<JSONWebKeySet> {
  return async () => {
    const instance = await discovery.choose(service);
    if (!instance) throw new Error(`no instance of ${service} is up`);
    const res = await request(new URL(path, instance.url), {
      dispatcher: upstreamAgent,
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`${service} answered ${res.statusCode} for its JWKS`);
    }
    return (await res.body.json()) as JSONWebKeySet;
  };
}
