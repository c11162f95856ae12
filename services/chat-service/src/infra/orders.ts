import { OrderDetail, OrderSummary } from '@sagamart/contracts/http/orders';
import { notFound, type Page, PageSchema, ServiceCallError, type ServiceContext } from '@sagamart/kit';
import type { Static } from 'typebox';

const OrderPage = PageSchema(OrderSummary);

/** order-service, as chat needs it: the order a customer asks about, and a customer's order list for agents. */
export class Orders {
  constructor(private readonly ctx: ServiceContext<unknown>) {}

  /** The signed-in customer's own order (order-service checks the owner: someone else's is 404). */
  async customersOwn(orderId: string): Promise<{ orderId: string; orderNumber: string }> {
    try {
      const order = await this.ctx
        .client('order-service')
        .get(`/api/orders/${encodeURIComponent(orderId)}`, { response: OrderDetail });
      return { orderId: order.orderId, orderNumber: order.orderNumber };
    } catch (error) {
      if (error instanceof ServiceCallError && (error.status === 404 || error.status === 400))
        throw notFound('No such order');
      throw error;
    }
  }

  /** Any customer's orders, newest first (the caller has checked the agent may see them). */
  async ofCustomer(userId: string, page: number, size: number): Promise<Page<Static<typeof OrderSummary>>> {
    return this.ctx
      .client('order-service')
      .get(`/internal/customers/${userId}/orders`, { query: { page, size }, response: OrderPage });
  }
}
