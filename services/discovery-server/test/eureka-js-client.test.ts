import { createRequire } from 'node:module';
import type { Service } from '@sagamart/kit';
import { eventually, testPlatformLogin, uniqueName } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startDiscoveryServer } from './support.ts';

interface EurekaInstance {
  hostName: string;
  port: { $: number };
  status: string;
}
interface EurekaClient {
  start(callback: (error?: Error) => void): void;
  stop(callback: () => void): void;
  getInstancesByVipAddress(vipAddress: string): EurekaInstance[];
}
type EurekaClientClass = new (config: unknown) => EurekaClient;

// The real Netflix-compatible client for Node (CommonJS, no types of its own).
const { Eureka } = createRequire(import.meta.url)('eureka-js-client') as { Eureka: EurekaClientClass };
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('discovery server with eureka-js-client fetching deltas', () => {
  let server: Service;
  let client: EurekaClient;
  const app = uniqueName('delta').replaceAll('_', '-');
  const register = (instanceId: string, port: number) =>
    http(server.url)('POST', `/api/registry/apps/${app}`, { instanceId, url: `http://127.0.0.1:${port}` });
  const ports = () =>
    client
      .getInstancesByVipAddress(app)
      .map((i) => i.port.$)
      .sort();

  beforeAll(async () => {
    server = await startDiscoveryServer();
    expect((await register(`${app}:1`, 7001)).status).toBe(204);
    client = new Eureka({
      logger: silent,
      shouldUseDelta: true,
      eureka: {
        // The platform's Basic credentials in the URL, as Spring's eureka.client.serviceUrl takes them.
        serviceUrls: {
          default: [
            `http://${testPlatformLogin.user}:${testPlatformLogin.password}@127.0.0.1:${new URL(server.url).port}/eureka/apps/`,
          ],
        },
        registerWithEureka: false,
        registryFetchInterval: 100,
        maxRetries: 0,
      },
    });
    await new Promise<void>((resolve, reject) =>
      client.start((error) => (error ? reject(error) : resolve())),
    );
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => client.stop(resolve));
    await server.stop();
  });

  it('learns of a new instance, and of a restart at a new address, from the delta alone', async () => {
    // The first fetch is a full one; from then on the client only asks for deltas.
    expect(ports()).toEqual([7001]);
    await register(`${app}:2`, 7002);
    await eventually(() => ports().length === 2);
    expect(ports()).toEqual([7001, 7002]);

    // Same instance id, new port: the counts (and so the hash) stay the same.
    await register(`${app}:1`, 7003);
    await eventually(() => !ports().includes(7001));
    expect(ports()).toEqual([7002, 7003]);

    await http(server.url)('DELETE', `/api/registry/apps/${app}/${encodeURIComponent(`${app}:2`)}`);
    await eventually(() => ports().length === 1);
    expect(ports()).toEqual([7003]);
  });
});
