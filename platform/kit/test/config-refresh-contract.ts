import { randomUUID } from 'node:crypto';
import configServer from '@sagamart/config-server';
import type { ConfigTree } from '@sagamart/kit';
import { asPlatform, eventually, startTestService, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { configProbe, settings, tempConfigRepo } from './config-probe.ts';

/**
 * Live refresh end to end: a config server and services sharing one event bus; the services
 * read their config from the server, and POST /refresh there changes refreshable keys live.
 */
export function configRefreshContract(label: string, transportConfig: () => ConfigTree) {
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
      const startProbe = async (name: string) => {
        const probe = await startTestService(configProbe(name), {
          config: { ...shared, config: { server: { url: server.url } } },
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
      return { repo, startProbe, refresh };
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
  });
}
