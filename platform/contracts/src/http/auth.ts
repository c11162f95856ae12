import { Type } from 'typebox';

// auth-service's public HTTP shapes.

export const TokenPairSchema = Type.Object({
  accessToken: Type.String(),
  /** Left out when it was delivered as the refresh cookie. */
  refreshToken: Type.Optional(Type.String()),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Access token lifetime in seconds' }),
  refreshExpiresIn: Type.Integer({ description: 'Refresh token lifetime in seconds' }),
});

/** Without refreshToken, the refresh cookie is used. A JSON body is required either way (CSRF: see refresh-cookie.ts). */
export const RefreshTokenBody = Type.Object({
  refreshToken: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
});

/** Public EC keys only: the serializer drops any other member, so a private `d` can never leak. */
export const JwksSchema = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.String(),
      crv: Type.String(),
      x: Type.String(),
      y: Type.String(),
      kid: Type.String(),
      alg: Type.String(),
      use: Type.String(),
    }),
  ),
});
