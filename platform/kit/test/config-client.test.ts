import configServer from '@sagamart/config-server';
import type { Service } from '@sagamart/kit';
import { asPlatform, startTestService } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, configProbe, settings, tempConfigRepo } from './config-probe.ts';

/** How a service composes its config: defaults < config server < environment < test overrides. */
describe('config client', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  // No event bus: these tests only read config.
  const noBus = { database: { url: '' } };

  async function startConfigServer(config: Record<string, unknown> = {}) {
    const repo = await tempConfigRepo();
    cleanup.push(repo.remove);
    const server = await startTestService(configServer, {
      config: { ...noBus, configServer: { repo: repo.dir }, ...(config as object) },
    });
    cleanup.push(() => server.stop());
    return { repo, server };
  }
  async function startProbe(name: string, configUrl: string, env: Record<string, string> = {}) {
    const probe: Service = await startTestService(configProbe(name), {
      env,
      config: { ...noBus, config: { server: { url: configUrl } } },
    });
    cleanup.push(() => probe.stop());
    return probe;
  }

  it('starts on the bundled defaults when the config server is down, with the environment on top', async () => {
    const probe = await startProbe('probe', `http://127.0.0.1:${await closedPort()}`, {
      FEATURES_NEWCHECKOUT: 'true',
    });
    expect(await settings(probe)).toMatchObject({
      source: 'defaults',
      banner: 'bundled',
      staticLimit: 10,
      newCheckout: true,
    });
  });

  it('lets environment variables win over config server values', async () => {
    const { repo, server } = await startConfigServer();
    await repo.write('application.yml', 'features:\n  banner: shared\n');
    await repo.write(
      'probe.yml',
      'features:\n  banner: from-server\n  newCheckout: false\nlimits:\n  static: 30\n',
    );
    const probe = await startProbe('probe', server.url, {
      FEATURES_NEWCHECKOUT: 'true',
      LIMITS_STATIC: '40',
    });
    expect(await settings(probe)).toMatchObject({
      source: 'config-server',
      banner: 'from-server',
      newCheckout: true,
      staticLimit: 40,
    });
  });

  it('reads the profile files named by SAGAMART_PROFILE', async () => {
    const { repo, server } = await startConfigServer();
    await repo.write('probe.yml', 'features:\n  banner: plain\nlimits:\n  static: 30\n');
    await repo.write('probe-dev.yml', 'features:\n  banner: dev\n');
    await repo.write('application-local.yml', 'features:\n  banner: local\n');
    const dev = await startProbe('probe', server.url, { SAGAMART_PROFILE: 'dev' });
    expect(await settings(dev)).toMatchObject({ banner: 'dev', staticLimit: 30 });
    // A later profile wins, even from application-{profile}.yml.
    const devLocal = await startProbe('probe', server.url, { SAGAMART_PROFILE: 'dev,local' });
    expect(await settings(devLocal)).toMatchObject({ banner: 'local', staticLimit: 30 });
  });

  it('receives {cipher} values decrypted', async () => {
    const { repo, server } = await startConfigServer({ encrypt: { key: 'shared secret' } });
    const encrypted = await fetch(`${server.url}/encrypt`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...asPlatform() },
      body: 'top secret banner',
    });
    await repo.write('probe.yml', `features:\n  banner: '{cipher}${await encrypted.text()}'\n`);
    const probe = await startProbe('probe', server.url);
    expect(await settings(probe)).toMatchObject({ source: 'config-server', banner: 'top secret banner' });
  });
});
