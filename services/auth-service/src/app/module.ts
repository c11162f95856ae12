import type { ServiceContext } from '@sagamart/kit';
import { JwtCodec } from '../infra/jwt.ts';
import { KeyStore } from '../infra/key-store.ts';
import { PasswordHasher } from '../infra/password-hasher.ts';
import type { AuthDb } from '../infra/schema.ts';
import { AccessRevocations } from './access-revocations.ts';
import { Accounts } from './accounts.ts';
import { LoginAttemptsStore } from './login-attempts.ts';
import { Sessions } from './sessions.ts';
import { readSettings, scryptParams } from './settings.ts';
import { SigningKeys } from './signing-keys.ts';

/** The use cases of one running auth-service, wired once per service context. */
export interface AuthModule {
  sessions: Sessions;
  accounts: Accounts;
  signingKeys: SigningKeys;
  keyStore: KeyStore;
  attempts: LoginAttemptsStore;
  revocations: AccessRevocations;
}

const modules = new WeakMap<ServiceContext<AuthDb>, AuthModule>();

export function authModule(ctx: ServiceContext<AuthDb>): AuthModule {
  let module = modules.get(ctx);
  if (!module) {
    const db = ctx.db;
    const settings = () => readSettings(ctx.config);
    const hasher = new PasswordHasher(scryptParams(ctx.config));
    const keyStore = new KeyStore(db, ctx.config.string('auth.keys.encryptionSecret'));
    const attempts = new LoginAttemptsStore(db);
    const revocations = new AccessRevocations({ db, settings, transport: () => ctx.transport });
    module = {
      sessions: new Sessions({ db, hasher, jwt: new JwtCodec(keyStore), attempts, settings, revocations }),
      accounts: new Accounts({ db, hasher, attempts, settings, revocations }),
      signingKeys: new SigningKeys(keyStore, settings),
      keyStore,
      attempts,
      revocations,
    };
    modules.set(ctx, module);
  }
  return module;
}
