import type { ConfigTree, DeliveredMessage, Service } from '@sagamart/kit';
import { buyPoints, eventually, jsonClient, startTestService, uniqueName } from '@sagamart/testkit';
import { expect } from 'vitest';
import type { Json } from '../../auth-service/test/support.ts';
import { asUser, client, mergeTrees, startAuth, uniqueEmail } from '../../auth-service/test/support.ts';
import mockPg from '../../mock-pg/src/index.ts';
import paymentService from '../../payment-service/src/index.ts';
import userService from '../src/index.ts';

export {
  asAdmin,
  asUser,
  claimsOf,
  client,
  type Json,
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
  options: { user?: ConfigTree; auth?: ConfigTree; sharedBus?: boolean; bus?: ConfigTree } = {},
): Promise<Pair> {
  const bus = (): ConfigTree => ({ bus: { database: uniqueName('t_bus'), pollMs: 200 } });
  const shared = options.bus ?? bus();
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

/**
 * Every user event published on the pair's bus, in order, as any consumer sees them: a spy queue of
 * its own. Per user, a change's event is the next one after the change before it.
 */
export async function spyOnUserEvents(pair: Pick<Pair, 'user'>): Promise<DeliveredMessage[]> {
  const seen: DeliveredMessage[] = [];
  const transport = pair.user.context.transport!;
  const spy = uniqueName('spy');
  await transport.declare({ [spy]: ['user.registered', 'user.updated'] });
  await transport.consume(
    spy,
    async (message) => {
      seen.push(message);
      return { type: 'ack' };
    },
    { concurrency: 1 },
  );
  return seen;
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
  const login = await pair.authApi.post('/api/auth/login', {
    email: body.email,
    password: body.password,
    tokenDelivery: 'body',
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return {
    userId: signup.body.userId as string,
    email: body.email as string,
    password: body.password as string,
    tokens: login.body as { accessToken: string; refreshToken: string },
  };
}

/**
 * auth, user, the mock PG and payment-service on one bus: points are bought through the PG.
 * `buy(userId, amount)` pays a charge with the approving test card and waits until it is credited.
 * `pg` and `payment` add to the mock PG's and payment-service's config.
 */
export async function startWithPayments(
  options: { user?: ConfigTree; pg?: ConfigTree; payment?: ConfigTree } = {},
) {
  const bus: ConfigTree = {
    bus: { database: uniqueName('t_bus'), pollMs: 100 },
    events: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 200 },
  };
  const pg = await startTestService(mockPg, {
    config: mergeTrees(bus, { database: { name: uniqueName('t_pg') } }, options.pg ?? {}),
  });
  const payment = await startTestService(paymentService, {
    config: mergeTrees(
      bus,
      {
        database: { name: uniqueName('t_pay') },
        discovery: { mode: 'static', static: { 'mock-pg': pg.url } },
        payment: { reconcile: { intervalMs: 100, retryBaseMs: 100, retryMaxMs: 400 } },
      },
      options.payment ?? {},
    ),
  });
  const pair = await startPair({ bus, ...(options.user ? { user: options.user } : {}) });
  const paymentApi = jsonClient(payment);
  return {
    ...pair,
    pg,
    payment,
    paymentApi,
    /** The bus they share, for an EventProbe standing in for the other services. */
    bus,
    buy: (userId: string, amount: number) =>
      buyPoints({ user: jsonClient(pair.user), payment: paymentApi }, asUser(userId), amount),
    async stop() {
      await pair.stop();
      await payment.stop();
      await pg.stop();
    },
  };
}

export type PaymentsPlatform = Awaited<ReturnType<typeof startWithPayments>>;

/**
 * A shopper's points charge on a `startWithPayments` platform, step by step: asked for, paid at the
 * PG's hosted checkout, confirmed at payment-service, cancelled, and what each service then says of it.
 * `platform` is read at each call, so a suite can pass its `beforeAll`'s platform before it starts.
 */
export function pointChargeSteps(platform: () => Pick<PaymentsPlatform, 'userApi' | 'paymentApi' | 'pg'>) {
  const user = () => platform().userApi;
  /**
   * payment-service's view of the charge's PG order, waited for until it has one (and `until` holds
   * of it, within `timeoutMs`).
   */
  const awaitPaymentSide = (
    userId: string,
    chargeNumber: string,
    until: (side: Json) => boolean = () => true,
    timeoutMs?: number,
  ): Promise<Json> =>
    eventually(async () => {
      const res = await platform().paymentApi.get(`/api/payments/orders/${chargeNumber}`, asUser(userId));
      return res.status === 200 && until(res.body) ? res.body : undefined;
    }, timeoutMs);
  /** A new charge, PENDING until it is paid. */
  const charge = async (userId: string, amount: number) => {
    const res = await user().post('/api/users/me/points/charges', { amount }, asUser(userId));
    if (res.status !== 201 || res.body.status !== 'PENDING')
      throw new Error(`charge: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { chargeId: string; chargeNumber: string; amount: number; orderName: string };
  };
  return {
    charge,
    /** A new charge that payment-service knows already (from point.charge.requested). */
    async knownCharge(userId: string, amount: number) {
      const c = await charge(userId, amount);
      await awaitPaymentSide(userId, c.chargeNumber);
      return c;
    },
    cancel: (userId: string, chargeNumber: string) =>
      user().post(`/api/users/me/points/charges/${chargeNumber}/cancel`, {}, asUser(userId)),
    chargeView: async (userId: string, chargeNumber: string) =>
      (await user().get(`/api/users/me/points/charges/${chargeNumber}`, asUser(userId))).body,
    awaitPaymentSide,
    balance: async (userId: string) =>
      (await user().get('/api/users/me/points', asUser(userId))).body as {
        balance: number;
        ledger: { totalElements: number };
      },
    /** The browser at the PG's hosted checkout: answers the paymentKey of the success redirect. */
    async checkout(c: { chargeNumber: string; amount: number }, card: string, amount = c.amount) {
      const res = await fetch(`${platform().pg.url}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          orderNumber: c.chargeNumber,
          amount: String(amount),
          orderName: '포인트 충전',
          successUrl: 'http://127.0.0.1:5173/me/points/charge/success',
          failUrl: 'http://127.0.0.1:5173/me/points/charge/fail',
          card,
        }).toString(),
        redirect: 'manual',
      });
      if (res.status !== 303) throw new Error(`checkout answered ${res.status}`);
      return new URL(res.headers.get('location')!).searchParams.get('paymentKey')!;
    },
    confirm: (userId: string, orderNumber: string, paymentKey: string, amount: number) =>
      platform().paymentApi.post(
        '/api/payments/confirm',
        { orderNumber, paymentKey, amount },
        asUser(userId),
      ),
  };
}

/**
 * A payment the PG approved after the charge had ended unpaid (cancelled or expired, `reason` says
 * which): payment-service refunds it, and the charge stays `status` and credits nothing.
 */
export async function expectLateApprovalRefunded(
  platform: Pick<PaymentsPlatform, 'userApi' | 'paymentApi' | 'pg'>,
  userId: string,
  chargeNumber: string,
  expected: {
    amount: number;
    status: 'CANCELLED' | 'EXPIRED';
    reason: 'USER_CANCELLED' | 'PAYMENT_TIMEOUT';
  },
) {
  const { awaitPaymentSide, chargeView, balance } = pointChargeSteps(() => platform);
  const refunded = await awaitPaymentSide(
    userId,
    chargeNumber,
    (s) => s.payment?.status === 'REFUNDED',
    15_000,
  );
  expect(refunded.payment).toMatchObject({
    amount: expected.amount,
    approvedAt: expect.any(String),
    // Said of the charge (the admin's payments page labels it), not of an order.
    refundReason: `Points charge cancelled (${expected.reason})`,
  });

  expect((await chargeView(userId, chargeNumber)).status).toBe(expected.status);
  expect(await balance(userId)).toMatchObject({ balance: 0, ledger: { totalElements: 0 } });
}
