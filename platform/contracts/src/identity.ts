import { type Static, Type } from 'typebox';
import { defineEvent } from './define.ts';

// Identity: users (user-service) and their credentials and tokens (auth-service).
// Credentials never leave auth-service: no event below may carry a password or a hash, and the
// payloads are closed (additionalProperties: false) so adding one fails at publish time.

/**
 * USER: a shopper. AGENT (상담원): customer-service staff; the agent console (chat) and the orders of a
 * customer they are talking to, plus everything a shopper may do, but no product, promotion or user
 * admin. ADMIN: everything, an agent's rights included. One role per user.
 */
export const USER_ROLES = ['USER', 'AGENT', 'ADMIN'] as const;
export const USER_STATUSES = ['ACTIVE', 'INACTIVE', 'SUSPENDED'] as const;
export const USER_GRADES = ['NORMAL', 'SILVER', 'GOLD', 'VIP'] as const;

export const UserRole = Type.Enum(USER_ROLES);
export const UserStatus = Type.Enum(USER_STATUSES);
export const UserGrade = Type.Enum(USER_GRADES);
export type UserRole = (typeof USER_ROLES)[number];
export type UserStatus = (typeof USER_STATUSES)[number];
export type UserGrade = (typeof USER_GRADES)[number];

/** What changed in a `user.updated`; consumers may act only on the parts they care about. */
export const USER_CHANGES = ['profile', 'role', 'status', 'grade', 'credentials'] as const;
export const UserChange = Type.Enum(USER_CHANGES);
export type UserChange = (typeof USER_CHANGES)[number];

/**
 * The user as user-service holds it after a change. `version` grows by one with every change of a
 * user, so a consumer keeps the highest version it applied and ignores anything not newer
 * (duplicates and out-of-order deliveries alike).
 */
const userSnapshot = {
  userId: Type.String({ format: 'uuid' }),
  version: Type.Integer({ minimum: 1 }),
  email: Type.String({ minLength: 3 }),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  role: UserRole,
  status: UserStatus,
  grade: UserGrade,
};

/** A user signed up (or the bootstrap admin was created). Always version 1. */
export const UserRegistered = defineEvent(
  'user.registered',
  1,
  Type.Object(
    { ...userSnapshot, registeredAt: Type.String({ format: 'date-time' }) },
    { additionalProperties: false },
  ),
);
export type UserRegisteredPayload = Static<typeof UserRegistered.schema>;

/** A user's profile, role, status, grade or credentials changed: the full snapshot after the change. */
export const UserUpdated = defineEvent(
  'user.updated',
  1,
  Type.Object(
    {
      ...userSnapshot,
      changes: Type.Array(UserChange, { minItems: 1, uniqueItems: true }),
      updatedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
);
export type UserUpdatedPayload = Static<typeof UserUpdated.schema>;

// ---- Tokens (issued by auth-service, verified by the gateway) ----

export const TOKEN_ISSUER = 'sagamart-auth';
export const TOKEN_AUDIENCE = 'sagamart';
export const TOKEN_ALGORITHM = 'ES256';
/** Served by auth-service; the gateway routes it publicly. */
export const JWKS_PATH = '/api/auth/.well-known/jwks.json';

export type TokenType = 'access' | 'refresh';

/** Claims of every token. Only `token_type: 'access'` may authorize a request. */
export interface TokenClaims {
  iss: typeof TOKEN_ISSUER;
  aud: typeof TOKEN_AUDIENCE;
  /** The user id (UUID). */
  sub: string;
  email: string;
  role: UserRole;
  token_type: TokenType;
  jti: string;
  iat: number;
  exp: number;
  /** The session (refresh token family) an access token belongs to: logout revokes it. */
  sid?: string;
}

// ---- auth-service's internal HTTP API: user-service's credential calls, the gateway's revocation feed ----

/** PUT /internal/credentials/{userId}: sets the credential of a user being created; auth hashes. */
export const CredentialsUpsert = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 128 }),
  role: UserRole,
  status: UserStatus,
});
export type CredentialsUpsert = Static<typeof CredentialsUpsert>;

/** POST /internal/credentials/{userId}/password: verifies the current password, sets the new one. */
export const PasswordChange = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: Type.String({ minLength: 1, maxLength: 128 }),
});
export type PasswordChange = Static<typeof PasswordChange>;

/**
 * PUT /internal/accounts/{userId}: the `user.updated` snapshot pushed synchronously so that a
 * suspension or role change reaches auth at once; the event remains the durable path.
 */
export const AccountSnapshot = UserUpdated.schema;
export type AccountSnapshot = UserUpdatedPayload;

/**
 * GET /internal/revocations?cursor={cursor}: access tokens that must stop working before they expire
 * (logout, reuse of a rotated refresh token, suspension, role or password change), in the order of the
 * transactions that wrote them. The gateway polls it and refuses matching tokens. An entry lapses once
 * every token it names has expired.
 */
export const AccessRevocation = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  userId: Type.String(),
  /** Set: every access token of this session. Unset: every token of the user issued before notBefore. */
  sessionId: Type.Union([Type.String(), Type.Null()]),
  /** Epoch seconds: tokens with an earlier `iat` are revoked (user-wide entries). */
  notBefore: Type.Union([Type.Integer(), Type.Null()]),
  /** Epoch seconds: after this the entry no longer matters. */
  expiresAt: Type.Integer(),
});
export type AccessRevocation = Static<typeof AccessRevocation>;
/** The `cursor` that reads the feed from its start. */
export const REVOCATION_FEED_START = '0';
/**
 * The cursor is made of PostgreSQL transaction ids (ADR 0018): an answer serves again every entry whose
 * transaction might still have been running when it was read, so an entry that commits after a later
 * one was read is served however late it commits. Applying an entry twice changes nothing.
 */
export const AccessRevocationFeedQuery = Type.Object({
  cursor: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,19}(\\.[0-9]{1,18}\\.[0-9]{1,19})?$',
      description: '`0` at first, then the `cursor` of the previous answer',
    }),
  ),
  /**
   * Deprecated: the `latest` of the previous answer, read by gateways released before ADR 0018 (and only
   * when `cursor` is absent). Such a read can skip an entry that commits late; removed in the next release.
   */
  after: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 1000 }),
});
export type AccessRevocationFeedQuery = Static<typeof AccessRevocationFeedQuery>;
export const AccessRevocationFeed = Type.Object({
  revocations: Type.Array(AccessRevocation),
  /** Deprecated with `after`: the highest seq there is. */
  latest: Type.Integer({ minimum: 0 }),
  /**
   * The next `cursor`. A full page (`limit` entries) means more follow at once. Absent from answers to
   * `after` and from auth-service released before ADR 0018; a reader then goes on with `after`.
   */
  cursor: Type.Optional(Type.String()),
});
export type AccessRevocationFeed = Static<typeof AccessRevocationFeed>;
/** Broadcast (a hint, not a record) when revocations were added: pollers read the feed at once. */
export const REVOCATIONS_CHANNEL = 'auth.revocations';
