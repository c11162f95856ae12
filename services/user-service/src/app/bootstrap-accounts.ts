import type { UserRole } from '@sagamart/contracts';
import { isValidEmail, isValidPassword } from '@sagamart/contracts/rules';
import { Problem, type ServiceContext } from '@sagamart/kit';
import type { UserDb } from '../infra/schema.ts';
import type { Users } from './users.ts';

export interface BootstrapAccount {
  stop(): void;
  /** False until the account exists (or bootstrapping is off or gave up): readiness waits for it. */
  settled(): boolean;
}

/**
 * The accounts `npm start` offers a login for: the admin, and a demo agent (상담원) for the chat
 * console. Each is configured under `bootstrap.{admin|agent}.*`.
 */
export const BOOTSTRAP_ACCOUNTS = { admin: 'ADMIN', agent: 'AGENT' } as const satisfies Record<
  string,
  UserRole
>;
export type BootstrapAccountKey = keyof typeof BOOTSTRAP_ACCOUNTS;

/**
 * Creates the account of `bootstrap.{key}.*` on first start. Runs in the background and retries
 * with backoff until auth-service answers, because services start in any order. Idempotent: an
 * existing user with that email (from an earlier start) is left alone.
 */
export function bootstrapAccount(
  ctx: ServiceContext<UserDb>,
  users: Users,
  key: BootstrapAccountKey,
): BootstrapAccount {
  const stopped = { value: false };
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    stopped.value = true;
    clearTimeout(timer);
  };
  const settled = () => done;
  const setting = (name: string) => `bootstrap.${key}.${name}`;
  const label = `bootstrap ${key}`;
  if (!ctx.config.boolean(setting('enabled'), true)) {
    done = true;
    return { stop, settled };
  }

  const email = ctx.config.string(setting('email'));
  const password = ctx.config.string(setting('password'));
  const name = ctx.config.string(setting('name'));
  if (!isValidEmail(email) || !isValidPassword(password)) {
    ctx.log.error({ email }, `${label} not created: ${setting('email')} or password breaks the signup rules`);
    done = true;
    return { stop, settled };
  }
  const maxDelayMs = ctx.config.number(setting('maxRetryDelayMs'));

  const attempt = async (delayMs: number): Promise<void> => {
    if (stopped.value) return;
    try {
      const outcome = await users.ensureAccount({ email, password, name }, BOOTSTRAP_ACCOUNTS[key]);
      done = true;
      if (outcome === 'created') ctx.log.info({ email }, `${label} created`);
      else ctx.log.debug({ email }, `${label} already exists`);
    } catch (error) {
      if (stopped.value) return;
      // 4xx other than "unavailable" will not heal by retrying (e.g. auth refuses the credential).
      if (error instanceof Problem && error.status < 500) {
        ctx.log.error({ err: error, email }, `${label} not created`);
        done = true;
        return;
      }
      // auth-service usually starts alongside us: only a long wait is worth a warning.
      ctx.log[delayMs >= 4_000 ? 'warn' : 'info'](
        { err: (error as Error).message, retryInMs: delayMs },
        `${label}: auth-service not ready, retrying`,
      );
      timer = setTimeout(() => void attempt(Math.min(delayMs * 2, maxDelayMs)), delayMs);
      timer.unref();
    }
  };
  void attempt(250);
  return { stop, settled };
}
