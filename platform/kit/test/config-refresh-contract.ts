import { randomUUID } from 'node:crypto';
import configServer from '@sagamart/config-server';
import type { ConfigTree } from '@sagamart/kit';
import { asPlatform, eventually, startTestService, tcpProxy, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { configProbe, settings, tempConfigRepo } from './config-probe.ts';

/** Where a probe's broadcasts come from, so that a test can put a cuttable proxy in between. */
export interface BroadcastServer {
  /** The server's URL (PostgreSQL or AMQP), for tcpProxy. */
  url: () => string;
  /** The probe's config that reaches the server through `proxyUrl` instead, given the shared config. */
  through: (shared: ConfigTree, proxyUrl: string) => ConfigTree;
}

/**
 * Live refresh end to end: a config server and services sharing one event bus; the services
 * read their config from the server, and POST /refresh there changes refreshable keys live.
 */
export function configRefreshContract(
  label: string,
  transportConfig: () => ConfigTree,
  broadcastServer: BroadcastServer,
) {
  describe(`config refresh over the bus: ${label}`, () => {
    const cleanup: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const fn of cleanup.splice(0).reverse()) await fn();
    });

    async function setup() {
      const repo = await tempConfigRepo();
      cleanup.push(repo.remove);
      const shared: ConfigTree = {
        ...transportConfig(),
        bus: { database: uniqueName('t_bus'), pollMs: 500 },
      };
      const server = await startTestService(configServer, {
        config: { ...shared, configServer: { repo: repo.dir } },
      });
      cleanup.push(() => server.stop());
      const startProbe = async (name: string, own: ConfigTree = {}, duringStart?: () => Promise<void>) => {
        const probe = await startTestService(configProbe(name, duringStart), {
          config: { ...shared, ...own, config: { server: { url: server.url } } },
        });
        cleanup.push(() => probe.stop());
        return probe;
      };
      const refresh = (path: string, body?: unknown) =>
        fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { ...asPlatform(), ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      return { repo, startProbe, refresh, shared };
    }
    // Unique names: on a shared broker, other runs' services hear these broadcasts too.
    const probeName = () => `probe-${randomUUID().slice(0, 8)}`;
    const yaml = (banner: string, newCheckout: boolean, staticLimit: number) =>
      `features:\n  banner: ${banner}\n  newCheckout: ${newCheckout}\nlimits:\n  static: ${staticLimit}\n`;

    it('starts on the config server values, then changes refreshable keys live and only those', async () => {
      const { repo, startProbe, refresh } = await setup();
      const name = probeName();
      await repo.write(`${name}.yml`, yaml('from-server', true, 20));
      const probe = await startProbe(name);
      expect(await settings(probe)).toMatchObject({
        banner: 'from-server',
        newCheckout: true,
        staticLimit: 20,
        source: 'config-server',
      });

      await repo.write(`${name}.yml`, yaml('refreshed', false, 99));
      const res = await refresh('/refresh');
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ refreshed: '*' });

      const after = (await eventually(async () => {
        const s = await settings(probe);
        return s.banner === 'refreshed' ? s : undefined;
      }))!;
      expect(after.newCheckout).toBe(false);
      // limits is not refreshable: it keeps the value the service started with.
      expect(after.staticLimit).toBe(20);
    });

    it('leaves a service alone when the refresh names another one', async () => {
      const { repo, startProbe, refresh } = await setup();
      const [nameA, nameB] = [probeName(), probeName()];
      await repo.write(`${nameA}.yml`, yaml('a-1', false, 20));
      await repo.write(`${nameB}.yml`, yaml('b-1', false, 20));
      const [a, b] = [await startProbe(nameA), await startProbe(nameB)];

      await repo.write(`${nameA}.yml`, yaml('a-2', true, 20));
      await repo.write(`${nameB}.yml`, yaml('b-2', true, 20));
      expect((await refresh('/refresh', { destination: nameB })).status).toBe(202);

      await eventually(async () => (await settings(b)).banner === 'b-2');
      // A heard the same broadcast and ignored it.
      await eventually(async () => (await settings(a)).refreshesHeard === 1);
      expect(await settings(a)).toMatchObject({ banner: 'a-1', newCheckout: false });

      // Named through Spring Cloud Bus's path, A does refresh.
      expect((await refresh(`/actuator/busrefresh/${nameA}`)).status).toBe(202);
      await eventually(async () => (await settings(a)).banner === 'a-2');
      expect(await settings(a)).toMatchObject({ newCheckout: true });
    });

    it('takes a refresh broadcast between loading its config and listening to broadcasts', async () => {
      const { repo, startProbe, refresh } = await setup();
      const name = probeName();
      await repo.write(`${name}.yml`, yaml('at-load', false, 20));
      // Changed and broadcast while the probe migrates: it has read its config but does not listen yet.
      const probe = await startProbe(name, {}, async () => {
        await repo.write(`${name}.yml`, yaml('during-start', true, 20));
        expect((await refresh('/refresh')).status).toBe(202);
      });
      await eventually(async () => (await settings(probe)).banner === 'during-start');
      expect(await settings(probe)).toMatchObject({ newCheckout: true, staticLimit: 20 });
    });

    it('catches up on a refresh broadcast while its connection to the bus was cut', async () => {
      const { repo, startProbe, refresh, shared } = await setup();
      const proxy = await tcpProxy(broadcastServer.url());
      cleanup.push(() => proxy.close());
      const name = probeName();
      await repo.write(`${name}.yml`, yaml('before-outage', false, 20));
      // Only the probe's connection to the bus goes through the proxy; the config server's does not.
      const probe = await startProbe(name, broadcastServer.through(shared, proxy.url));
      const transport = probe.context.transport!;
      await eventually(() => transport.listening());

      proxy.down();
      await eventually(() => !transport.listening());
      await repo.write(`${name}.yml`, yaml('during-outage', true, 20));
      // Sent while the probe cannot hear it: neither NOTIFY nor a fanout keeps it for the probe.
      expect((await refresh('/refresh')).status).toBe(202);
      proxy.up();

      await eventually(async () => (await settings(probe)).banner === 'during-outage', 20_000);
      expect(await settings(probe)).toMatchObject({ newCheckout: true, staticLimit: 20 });

      // It listens again: the next refresh is heard as before.
      await repo.write(`${name}.yml`, yaml('after-outage', false, 20));
      expect((await refresh('/refresh')).status).toBe(202);
      await eventually(async () => (await settings(probe)).banner === 'after-outage', 20_000);
    });
  });
}
