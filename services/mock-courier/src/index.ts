import { defineService } from '@sagamart/kit';
import { type MockCourierDb, migrations } from './infra/schema.ts';
import { registerCourierRoutes } from './routes/courier-routes.ts';

export default defineService<MockCourierDb>({
  name: 'mock-courier',
  port: 9082,
  description:
    "A mock courier shaped like a Korean courier's bulk API: bulk waybill upload and cancel, smart-parcel style tracking, a clock per waybill and a test-control route.",
  defaults: {
    mockCourier: {
      // The contract customer's key; shipping-service sends shipping.courier.accountKey.
      accountKey: 'test_courier_sagamart',
      // The courier's code (t_code of trackingInfo).
      code: '99',
      // Each waybill moves one status every stepMs (kept per waybill from its upload; 0: test control only).
      stepMs: 10_000,
      // POST /api/v1/test/waybills/{trackingNumber}/advance.
      testControl: true,
    },
  },
  refreshable: ['mockCourier.stepMs', 'mockCourier.testControl'],
  migrations,
  routes: (app, ctx) => registerCourierRoutes(app, ctx),
});
