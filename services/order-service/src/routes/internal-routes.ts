import { CustomerOrdersQuery, CustomerParams } from '@sagamart/contracts/http/chat';
import { forbidden, PageSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { orderModule } from '../app/module.ts';
import type { OrderDb } from '../infra/schema.ts';
import { OrderSummary, problems } from './schemas.ts';

/** Services that may read any customer's order list: chat-service, for the agent console (it checks the agent). */
const CUSTOMER_ORDER_READERS = new Set(['chat-service']);

/** Internal reads for other services (never routed by the gateway; a service token is required). */
export function registerInternalRoutes(app: ServiceApp, ctx: ServiceContext<OrderDb>): void {
  const { reads } = orderModule(ctx);

  app.get(
    '/internal/customers/:userId/orders',
    {
      schema: {
        tags: ['internal'],
        summary: "A customer's orders, newest first (chat-service's agent console; read-only)",
        params: CustomerParams,
        querystring: CustomerOrdersQuery,
        response: { 200: PageSchema(OrderSummary), ...problems },
      },
    },
    async (req) => {
      if (!CUSTOMER_ORDER_READERS.has(req.caller ?? '')) throw forbidden('Only chat-service reads these');
      return reads.mine(req.params.userId, req.query);
    },
  );
}
