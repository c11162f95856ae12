import type { ConfigTree, Service } from '@sagamart/kit';
import { startTestService, uniqueName } from '@sagamart/testkit';
import { client, mergeTrees, startAuth, uniqueEmail } from '../../auth-service/test/support.ts';
import userService from '../src/index.ts';

export {
  asAdmin,
  asUser,
  claimsOf,
  client,
  mergeTrees,
  startAuth,
  uniqueEmail,
} from '../../auth-service/test/support.ts';

export const PASSWORD = 'Secret12!';

export interface Pair {
  auth: Service<unknown>;
  user: Service<unknown>;
  authApi: ReturnType<typeof client>;
  userApi: ReturnType<typeof client>;
  stop(): Promise<void>;
}

/** user-service pointed at auth-service by static discovery. */
export async function startUserService(authUrl: string, config: ConfigTree = {}) {
  return startTestService(userService, {
    config: mergeTrees(
      {
        discovery: { mode: 'static', static: { 'auth-service': authUrl } },
        bootstrap: { admin: { enabled: false } },
      },
      config,
    ),
  });
}

/**
 * auth-service and user-service; by default they share an event bus, so auth receives user events.
 */
export async function startPair(
  options: { user?: ConfigTree; auth?: ConfigTree; sharedBus?: boolean } = {},
): Promise<Pair> {
  const bus = (): ConfigTree => ({ bus: { database: uniqueName('t_bus'), pollMs: 200 } });
  const shared = bus();
  const auth = await startAuth(mergeTrees(options.sharedBus === false ? bus() : shared, options.auth ?? {}));
  const user = await startUserService(
    auth.url,
    mergeTrees(options.sharedBus === false ? bus() : shared, options.user ?? {}),
  );
  return {
    auth,
    user,
    authApi: client(auth),
    userApi: client(user),
    async stop() {
      await user.stop();
      await auth.stop();
    },
  };
}

export function signupBody(overrides: Record<string, unknown> = {}) {
  return {
    email: uniqueEmail(),
    password: PASSWORD,
    passwordConfirm: PASSWORD,
    name: '김민준',
    phone: '010-1234-5678',
    ...overrides,
  };
}

/** Signs up and logs in; returns the user id, email and token pair. */
export async function signedUpUser(
  pair: Pick<Pair, 'userApi' | 'authApi'>,
  overrides: Record<string, unknown> = {},
) {
  const body = signupBody(overrides);
  const signup = await pair.userApi.post('/api/users/signup', body);
  if (signup.status !== 201)
    throw new Error(`signup failed: ${signup.status} ${JSON.stringify(signup.body)}`);
  const login = await pair.authApi.post('/api/auth/login', { email: body.email, password: body.password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return {
    userId: signup.body.userId as string,
    email: body.email as string,
    password: body.password as string,
    tokens: login.body as { accessToken: string; refreshToken: string },
  };
}
