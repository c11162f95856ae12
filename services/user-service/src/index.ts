import {
  isPointChargeNumber,
  PaymentApproved,
  PaymentFailed,
  PaymentRefunded,
  PurchaseConfirmed,
  ReturnCompleted,
} from '@sagamart/contracts';
import { POINTS_MAX_CHARGE } from '@sagamart/contracts/rules';
import { defineService, on, type ServiceContext } from '@sagamart/kit';
import { type BootstrapAdmin, bootstrapAdmin } from './app/bootstrap-admin.ts';
import { userModule } from './app/module.ts';
import { migrations, type UserDb } from './infra/schema.ts';
import { registerAddressRoutes } from './routes/address-routes.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { registerInternalRoutes } from './routes/internal-routes.ts';
import { registerPointsRoutes } from './routes/points-routes.ts';
import { registerUserRoutes } from './routes/user-routes.ts';

/** Bundled defaults; config/user-service.yml mirrors them. */
export const userDefaults = {
  points: {
    /** The largest single charge, in won: the contract's, which the web checks before asking. */
    maxCharge: POINTS_MAX_CHARGE,
    /**
     * A charge not paid this long after it was created expires (EXPIRED), like an unpaid order:
     * payment-service then refuses its payment, and refunds one the PG approves late.
     */
    chargeTimeoutSeconds: 600,
    chargeExpiry: {
      /** How often the expiry sweep looks again while charges are due. */
      pollMs: 1_000,
      /**
       * Its longest sleep while it knows of no due charge: it wakes for the earliest known due time
       * and for each charge this instance creates, so only another instance's charges wait this long.
       */
      idlePollMs: 60_000,
    },
  },
  bootstrap: {
    admin: {
      enabled: true,
      // The documented development admin: change it (config server or BOOTSTRAP_ADMIN_PASSWORD) anywhere shared.
      email: 'admin@sagamart.dev',
      password: 'Admin123!',
      // A Korean shop's admin, as shoppers see it in a chat handed over to them ("관리자 님과 연결되었습니다").
      name: '관리자',
      maxRetryDelayMs: 10_000,
    },
    // The demo agent (상담원) for the chat console: off unless turned on (the launcher does, for npm start
    // only, with BOOTSTRAP_AGENT_ENABLED). Production refuses it with this password.
    agent: {
      enabled: false,
      email: 'agent@sagamart.dev',
      password: 'Agent123!',
      // A person's name: the shopper's chat says "정하은 님과 연결되었습니다".
      name: '정하은',
      maxRetryDelayMs: 10_000,
    },
  },
};

const bootstraps = new WeakMap<ServiceContext<UserDb>, BootstrapAdmin[]>();

export default defineService<UserDb>({
  name: 'user-service',
  port: 8082,
  description:
    'Users: signup, profile, address book, points (charged through the PG) and admin user management. Publishes user.registered, user.updated and point.charge.requested|cancelled.',
  defaults: userDefaults,
  // Production refuses the documented development admin password (BOOTSTRAP_ADMIN_PASSWORD), and the
  // demo agent's (BOOTSTRAP_AGENT_PASSWORD) while the agent is turned on.
  secrets: ['bootstrap.admin.password', { key: 'bootstrap.agent.password', when: 'bootstrap.agent.enabled' }],
  refreshable: ['points'],
  migrations,
  // Payments of points charges (PNT-…); order payments are order-service's.
  handlers: (ctx) => {
    const { charges, points, pointReservations } = userModule(ctx);
    return [
      on(PaymentApproved, async (event, { trx }) => {
        if (isPointChargeNumber(event.orderNumber)) await charges.paymentApproved(trx, event);
      }),
      on(PaymentFailed, async (event, { trx }) => {
        if (isPointChargeNumber(event.orderNumber)) await charges.paymentFailed(trx, event);
      }),
      on(PaymentRefunded, async (event, { trx }) => {
        if (isPointChargeNumber(event.orderNumber)) await charges.paymentRefunded(trx, event);
      }),
      // After-sale (issue 10): points paid for returned lines come back, once per claim (paid-for
      // ones as such); 구매확정 earns what shipping-service computed (its rate × the amount paid at the
      // PG), once per order: earned points, never refunded at the PG.
      on(ReturnCompleted, (event, { trx }) => pointReservations.returned(trx, event)),
      on(PurchaseConfirmed, async (event, { trx }) => {
        await points.creditOnce(trx, event.userId, event.pointsAwarded, 0, {
          type: 'EARN',
          reason: `Purchase confirmed: order ${event.orderNumber}`,
          order_id: event.orderId,
        });
      }),
    ];
  },
  routes: (app, ctx) => {
    registerUserRoutes(app, ctx);
    registerAddressRoutes(app, ctx);
    registerPointsRoutes(app, ctx);
    registerAdminRoutes(app, ctx);
    registerInternalRoutes(app, ctx);
  },
  // Ready once the bootstrap admin exists, so nobody is offered a login that does not work yet.
  readiness: (ctx) => ({
    bootstrapAdmin: async () => bootstraps.get(ctx)?.every((b) => b.settled()) ?? false,
  }),
  onStart(ctx) {
    const { users, chargeExpiry } = userModule(ctx);
    bootstraps.set(ctx, [bootstrapAdmin(ctx, users, 'admin'), bootstrapAdmin(ctx, users, 'agent')]);
    chargeExpiry.start();
  },
  async onStop(ctx) {
    for (const bootstrap of bootstraps.get(ctx) ?? []) bootstrap.stop();
    await userModule(ctx).chargeExpiry.stop();
  },
});
