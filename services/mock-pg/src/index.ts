import { defineService } from '@sagamart/kit';
import { type MockPgDb, migrations } from './infra/schema.ts';
import { registerApiRoutes } from './routes/api-routes.ts';
import { registerCheckoutRoutes } from './routes/checkout-routes.ts';
import { registerFontRoutes } from './routes/font-routes.ts';

export default defineService<MockPgDb>({
  name: 'mock-pg',
  port: 9083,
  description:
    'A mock payment gateway shaped like Toss Payments: hosted checkout with test cards (approve, decline, insufficient, slow) and a Basic-auth server API.',
  defaults: {
    mockPg: {
      // Toss-style test secret key; payment-service sends the same one (payment.pg.secretKey).
      secretKey: 'test_sk_sagamart_mock',
      // How long the slow card takes to approve: longer than payment-service's PG timeout (3 s).
      slowConfirmMs: 10_000,
    },
  },
  migrations,
  // Even a mock refuses its committed test key in production mode (MOCKPG_SECRETKEY).
  secrets: ['mockPg.secretKey'],
  routes: async (app, ctx) => {
    await registerFontRoutes(app);
    registerCheckoutRoutes(app, ctx);
    registerApiRoutes(app, ctx);
  },
});
