import { isValidEmail, isValidName, isValidPassword } from '@sagamart/contracts/rules';
import { Problem, type ServiceContext } from '@sagamart/kit';
import type { UserDb } from '../infra/schema.ts';
import type { Users } from './users.ts';

/** The accounts created on first start: `bootstrap.admin` (ADMIN) and `bootstrap.agent` (the demo AGENT). */
export const BOOTSTRAP_ACCOUNTS = { admin: 'ADMIN', agent: 'AGENT' } as const;
export type BootstrapAccount = keyof typeof BOOTSTRAP_ACCOUNTS;

export interface BootstrapAdmin {
  stop(): void;
  /** False until the admin exists (or bootstrapping is off or gave up): readiness waits for it. */
  settled(): boolean;
}

/**
 * Creates the account of `bootstrap.<account>.*` (the admin, or the demo agent) on first start. Runs
 * in the background and retries with backoff until auth-service answers, because services start in
 * any order. Idempotent: an existing user with that email (from an earlier start) is left alone.
 */
export function bootstrapAdmin(
  ctx: ServiceContext<UserDb>,
  users: Users,
  account: BootstrapAccount = 'admin',
): BootstrapAdmin {
  const key = `bootstrap.${account}`;
  const role = BOOTSTRAP_ACCOUNTS[account];
  const stopped = { value: false };
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    stopped.value = true;
    clearTimeout(timer);
  };
  const settled = () => done;
  if (!ctx.config.boolean(`${key}.enabled`, account === 'admin')) {
    done = true;
    return { stop, settled };
  }

  const email = ctx.config.string(`${key}.email`);
  const password = ctx.config.string(`${key}.password`);
  const name = ctx.config.string(`${key}.name`);
  if (!isValidEmail(email) || !isValidPassword(password) || !isValidName(name.trim())) {
    ctx.log.error(
      { email },
      `bootstrap ${account} not created: ${key}.email, password or name breaks the signup rules`,
    );
    done = true;
    return { stop, settled };
  }
  const maxDelayMs = ctx.config.number(`${key}.maxRetryDelayMs`, 10_000);

  const attempt = async (delayMs: number): Promise<void> => {
    if (stopped.value) return;
    try {
      const outcome = await users.ensureAccount({ email, password, name }, role);
      done = true;
      if (outcome === 'created') ctx.log.info({ email }, `bootstrap ${account} created`);
      else ctx.log.debug({ email }, `bootstrap ${account} already exists`);
    } catch (error) {
      if (stopped.value) return;
      // 4xx other than "unavailable" will not heal by retrying (e.g. auth refuses the credential).
      if (error instanceof Problem && error.status < 500) {
        ctx.log.error({ err: error, email }, `bootstrap ${account} not created`);
        done = true;
        return;
      }
      // auth-service usually starts alongside us: only a long wait is worth a warning.
      ctx.log[delayMs >= 4_000 ? 'warn' : 'info'](
        { err: (error as Error).message, retryInMs: delayMs },
        `bootstrap ${account}: auth-service not ready, retrying`,
      );
      timer = setTimeout(() => void attempt(Math.min(delayMs * 2, maxDelayMs)), delayMs);
      timer.unref();
    }
  };
  void attempt(250);
  return { stop, settled };
}
