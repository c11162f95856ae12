import type { UserRole, UserStatus } from '@sagamart/contracts';
import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';
import type { RevokeReason } from '../domain/refresh-token.ts';

export interface AuthDb {
  accounts: {
    user_id: string;
    /** Lower-cased. */
    email: string;
    /** `$scrypt$...`; null until user-service sets the credential. */
    password_hash: string | null;
    role: UserRole;
    status: UserStatus;
    /** Highest user-service version applied (0: only the signup call so far). */
    user_version: number;
    confirmed: boolean;
    password_changed_at: Date | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  /** Login throttle counters by key: `login:{email}|{address}`, `address:{address}`, `password:{email}`. */
  login_throttles: {
    key: string;
    failures: number;
    blocked_until: Date | null;
    last_failure_at: Date | null;
    updated_at: Generated<Date>;
  };
  refresh_tokens: {
    /** SHA-256 of the token's jti: a database leak yields no usable token ids. */
    token_hash: string;
    user_id: string;
    family_id: string;
    parent_hash: string | null;
    issued_at: Date;
    expires_at: Date;
    revoked_at: Date | null;
    revoked_reason: RevokeReason | null;
  };
  signing_keys: {
    kid: string;
    alg: string;
    public_jwk: Record<string, unknown>;
    /** The private JWK, AES-256-GCM encrypted: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
    private_jwk_encrypted: string;
    created_at: Generated<Date>;
    activates_at: Date;
  };
  /** Access tokens that stop working before they expire (the gateway polls these). */
  access_revocations: {
    seq: Generated<string>;
    user_id: string;
    /** Set: every token of this session (refresh token family). Null: tokens of the user before not_before. */
    session_id: string | null;
    not_before: Date | null;
    /** Once every token the entry names has expired, it no longer matters. */
    expires_at: Date;
    created_at: Generated<Date>;
    /** The transaction that wrote the entry (xid8, decimal): the feed's order and cursor (ADR 0018). */
    xid: Generated<string>;
  };
}

export const migrations: Record<string, Migration> = {
  '0001_auth': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('accounts')
        .addColumn('user_id', 'uuid', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text')
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('USER', 'ADMIN')`))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('ACTIVE', 'INACTIVE', 'SUSPENDED')`),
        )
        .addColumn('user_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('confirmed', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('password_changed_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('login_attempts')
        .addColumn('email', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'timestamptz')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('refresh_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('family_id', 'uuid', (c) => c.notNull())
        .addColumn('parent_hash', 'text')
        .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('revoked_at', 'timestamptz')
        .addColumn('revoked_reason', 'text')
        .execute();
      await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
      await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();
      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('alg', 'text', (c) => c.notNull())
        .addColumn('public_jwk', 'jsonb', (c) => c.notNull())
        .addColumn('private_jwk_encrypted', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('activates_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  },
  '0002_login_throttles': {
    async up(db: Kysely<unknown>) {
      await db.schema.dropTable('login_attempts').execute();
      await db.schema
        .createTable('login_throttles')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull().check(sql`failures >= 0`))
        .addColumn('blocked_until', 'timestamptz')
        .addColumn('last_failure_at', 'timestamptz')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
  '0003_access_revocations': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('access_revocations')
        .addColumn('seq', 'bigserial', (c) => c.primaryKey())
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('session_id', 'uuid')
        .addColumn('not_before', 'timestamptz')
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createIndex('access_revocations_user')
        .on('access_revocations')
        .columns(['user_id', 'not_before'])
        .execute();
    },
  },
  // The AGENT role (issue 12): customer-service staff.
  '0004_agent_role': {
    async up(db: Kysely<unknown>) {
      await sql`alter table accounts drop constraint if exists accounts_role_check`.execute(db);
      await sql`alter table accounts add constraint accounts_role_check check (role in ('USER', 'AGENT', 'ADMIN'))`.execute(
        db,
      );
    },
  },
  // The revocation feed's cursor (ADR 0018). Entries already there get the migration's transaction id;
  // the previous release's inserts get theirs from the default.
  '0005_revocation_transactions': {
    async up(db: Kysely<unknown>) {
      await sql`alter table access_revocations
        add column xid xid8 not null default pg_current_xact_id()`.execute(db);
      await db.schema
        .createIndex('access_revocations_xid')
        .on('access_revocations')
        .columns(['xid', 'seq'])
        .execute();
    },
  },
};
