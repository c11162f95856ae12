import { ShipmentCancelAnswer } from '@sagamart/contracts';
import { ShippingOrderParams } from '@sagamart/contracts/http/shipping';
import { problemResponses, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { shippingModule } from '../app/module.ts';
import type { ShippingDb } from '../infra/schema.ts';

/** Internal callers only (the gateway never routes /internal/**): order-service. */
export function registerInternalRoutes(app: ServiceApp, ctx: ServiceContext<ShippingDb>): void {
  const { shipments } = shippingModule(ctx);

  app.post(
    '/internal/shipments/orders/:orderId/cancel',
    {
      schema: {
        tags: ['internal'],
        summary:
          "Cancel an order's shipment before pickup (its waybill at the courier first); remembered when no shipment exists yet; 409 picked-up after pickup",
        params: ShippingOrderParams,
        response: { 200: ShipmentCancelAnswer, ...problemResponses(400, 401, 409, 502, 503, 504) },
      },
    },
    async (req) => {
      await shipments.cancelBeforePickup(req.params.orderId);
      return { cancelled: true as const };
    },
  );
}
