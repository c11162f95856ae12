import { Type } from 'typebox';

export const TokenPairSchema = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Access token lifetime in seconds' }),
  refreshExpiresIn: Type.Integer({ description: 'Refresh token lifetime in seconds' }),
});

export const RefreshTokenBody = Type.Object({ refreshToken: Type.String({ minLength: 1, maxLength: 4096 }) });

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

export const UserIdParams = Type.Object({ userId: Type.String({ format: 'uuid' }) });
