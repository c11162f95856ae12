import { READ_MODEL_GENERATION_CHANNEL, READ_MODEL_GENERATION_HEADER } from '@sagamart/contracts';
import { defineService, type Service } from '@sagamart/kit';
import { eventually, infra, startTestService, type TcpProxy, tcpProxy } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAuth, startGateway, stopAll, TestDiscovery } from './harness.ts';

/**
 * Over RabbitMQ the gateway's broadcast queue goes with its connection, and a new one is set up only
 * after the connection is back: a kept answer must not be served from memory in between, when a change
 * broadcast during the loss is gone and the loss not yet reported.
 */
describe.runIf(infra.available('rabbitmq'))('response cache over RabbitMQ, after a lost connection', () => {
  const discovery = new TestDiscovery();
  const amqp = infra.amqp();
  const product = { name: 'one', generation: 1 };
  let services: Array<Service<unknown> | undefined> = [];
  let catalog: Service<unknown>;
  let gw: Service<unknown>;
  let proxy: TcpProxy;

  beforeAll(async () => {
    catalog = await startTestService(
      defineService({
        name: 'catalog-service',
        port: 0,
        routes(app) {
          app.get('/api/catalog/products/1', async (_req, reply) =>
            reply
              .header(READ_MODEL_GENERATION_HEADER, String(product.generation))
              .header('cache-control', 'public, no-cache')
              .header('etag', `"${product.name}"`)
              .send({ name: product.name }),
          );
        },
      }),
      // Its own connection to the broker, not through the proxy: its broadcasts go out during the loss.
      { config: { database: { url: '' }, amqp } },
    );
    const auth = await startFakeAuth();
    services = [catalog, auth.service];
    discovery.set('catalog-service', catalog.url);
    discovery.set('auth-service', auth.service.url);
    proxy = await tcpProxy(infra.amqpUrl);
    gw = await startGateway(
      discovery,
      {
        routes: [
          { id: 'catalog', path: '/api/catalog', service: 'catalog-service', role: 'NONE', cache: true },
        ],
      },
      { amqp: { ...amqp, url: proxy.url } },
    );
    services.unshift(gw);
  });
  afterAll(async () => {
    await stopAll(services);
    await proxy?.close();
  });

  const broadcastGeneration = () =>
    catalog.context.transport!.broadcast(READ_MODEL_GENERATION_CHANNEL, {
      service: 'catalog-service',
      generation: product.generation,
    });
  const name = async () =>
    ((await (await fetch(`${gw.url}/api/catalog/products/1`)).json()) as { name: string }).name;

  it('checks a kept answer with the upstream until the broadcast queue is back', async () => {
    const transport = gw.context.transport!;
    await eventually(() => transport.listening());
    // Heard, then kept: from here the answer comes from memory.
    await eventually(async () => {
      await broadcastGeneration();
      expect(await name()).toBe('one');
      return true;
    });

    proxy.down();
    await eventually(() => !transport.listening());
    product.name = 'one, renamed';
    product.generation = 2;
    await broadcastGeneration();
    proxy.up();

    // The first moment the transport says it listens again.
    while (!transport.listening()) await new Promise((resolve) => setImmediate(resolve));
    expect(await name()).toBe('one, renamed');
  });
});
