import { CustomerOrdersQuery, CustomerParams } from '@sagamart/contracts/http/chat';
import { defineService, type Service } from '@sagamart/kit';
import { startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatDb } from '../src/index.ts';
import { ChatSocket, chatApi, deployment, eventually, person, startChat } from './support.ts';

/** order-service's internal customer order list, as the agent console reads it through chat-service. */
const fakeOrders = defineService({
  name: 'order-service',
  port: 0,
  routes(app) {
    app.get(
      '/internal/customers/:userId/orders',
      { schema: { params: CustomerParams, querystring: CustomerOrdersQuery } },
      async (req) => {
        const at = new Date().toISOString();
        return {
          content: [
            {
              orderId: `order-of-${req.params.userId}`,
              orderNumber: 'ORD-20261204-0001',
              status: 'PAID',
              cancelReason: null,
              cancelNote: null,
              orderName: '티셔츠 외 1건',
              firstProductName: '티셔츠',
              itemCount: 2,
              totalQuantity: 3,
              thumbnailUrl: null,
              subtotal: 78_000,
              discountAmount: 0,
              pointsUsed: 3_000,
              payableAmount: 75_000,
              // One of the three units came back: 25,000원 to the card, 1,000P to the points.
              refundedAmount: 25_000,
              refundedPoints: 1_000,
              createdAt: at,
              updatedAt: at,
            },
          ],
          page: req.query.page,
          size: req.query.size,
          totalElements: 1,
          totalPages: 1,
          first: true,
          last: true,
        };
      },
    );
  },
});

describe("chat-service: a customer's orders for the agent talking to them", () => {
  let orders: Service<unknown>;
  let service: Service<ChatDb>;
  let socket: ChatSocket | undefined;

  beforeAll(async () => {
    orders = await startTestService(fakeOrders, { config: { database: { url: '' } } });
    service = await startChat(
      deployment({ discovery: { mode: 'static', static: { 'order-service': orders.url } } }),
    );
  });
  afterAll(async () => {
    socket?.close();
    await Promise.all([service?.stop(), orders?.stop()]);
  });

  it('reads them for the assignee and admins only, read-only', async () => {
    const chat = chatApi(service);
    const customer = person();
    const agent = person('AGENT');
    const { body: opened } = await chat.open(customer);
    const path = `/api/agent/customers/${customer.userId}/orders?size=5`;
    // Not assigned yet: nobody but an admin may look.
    expect((await chat.api.get(path, agent.headers)).status).toBe(404);
    socket = ChatSocket.direct(service, agent);
    await eventually(async () => (await chat.get(customer, opened.id)).body.assigneeId === agent.userId);
    const mine = await chat.api.get(path, agent.headers);
    expect(mine.status).toBe(200);
    expect(mine.body.content).toEqual([
      expect.objectContaining({
        orderId: `order-of-${customer.userId}`,
        firstProductName: '티셔츠',
        pointsUsed: 3_000,
        payableAmount: 75_000,
        refundedAmount: 25_000,
        refundedPoints: 1_000,
      }),
    ]);
    expect(mine.body.size).toBe(5);
    expect((await chat.api.get(path, person('ADMIN').headers)).status).toBe(200);
    expect((await chat.api.get(path, person('AGENT').headers)).status).toBe(404);
    // Resolved: the agent is no longer talking to them.
    await chat.resolve(agent, opened.id);
    expect((await chat.api.get(path, agent.headers)).status).toBe(404);
  });
});
