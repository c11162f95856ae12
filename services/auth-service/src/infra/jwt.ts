import {
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type TokenClaims,
  type TokenType,
  type UserRole,
} from '@sagamart/contracts';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { KeyStore } from './key-store.ts';

export interface TokenSubject {
  userId: string;
  email: string;
  role: UserRole;
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

/** Signs and verifies sagamart JWTs (ES256, `kid` in the header) with the keys of the key store. */
export class JwtCodec {
  constructor(private readonly keys: KeyStore) {}

  async sign(
    subject: TokenSubject,
    type: TokenType,
    jti: string,
    issuedAt: Date,
    ttlSeconds: number,
    /** The session an access token belongs to (its refresh token family), so logout can revoke it. */
    sessionId?: string,
  ): Promise<string> {
    const { kid, key } = await this.keys.signingKey(issuedAt);
    const iat = Math.floor(issuedAt.getTime() / 1000);
    return new SignJWT({
      email: subject.email,
      role: subject.role,
      token_type: type,
      ...(sessionId ? { sid: sessionId } : {}),
    })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid, typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(subject.userId)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .sign(key);
  }

  /** Verifies signature (ES256 only), issuer, audience, expiry and the token type. */
  async verify(token: string, type: TokenType, now: Date, retentionSeconds: number): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = header.kid ? await this.keys.publicKey(header.kid, now, retentionSeconds) : undefined;
          if (!key) throw new InvalidTokenError('unknown signing key');
          return key;
        },
        {
          algorithms: [TOKEN_ALGORITHM],
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          requiredClaims: ['sub', 'jti', 'iat', 'exp'],
          currentDate: now,
        },
      );
      if (payload.token_type !== type) throw new InvalidTokenError(`not a ${type} token`);
      return payload as unknown as TokenClaims;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof errors.JOSEError) throw new InvalidTokenError(error.code);
      throw error;
    }
  }
}
