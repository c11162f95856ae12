import type { ConfigEnvironment, ConfigTree, Service } from '@sagamart/kit';
import { asPlatform, startTestService } from '@sagamart/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import configServer from '../src/index.ts';
import { tempConfigRepo } from './config-repo.ts';

describe('config server: {cipher} values, /encrypt and /decrypt', () => {
  let repo: Awaited<ReturnType<typeof tempConfigRepo>>;
  const running: Service[] = [];

  beforeEach(async () => {
    repo = await tempConfigRepo();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
    await repo.remove();
  });

  async function start(config: ConfigTree = {}, env: Record<string, string> = {}) {
    const server = await startTestService(configServer, {
      env,
      config: { configServer: { repo: repo.dir }, database: { url: '' }, ...config },
    });
    running.push(server);
    return server;
  }
  const post = (server: Service, path: string, body: string, type = 'text/plain') =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': type, ...asPlatform() },
      body,
    });
  const sources = async (server: Service, path: string) => {
    const env = (await (
      await fetch(`${server.url}${path}`, { headers: asPlatform() })
    ).json()) as ConfigEnvironment;
    return env.propertySources.map((s) => s.source);
  };

  it('encrypts a value that the server then serves decrypted from YAML', async () => {
    const server = await start({}, { ENCRYPT_KEY: 'correct horse battery staple' });
    const encrypted = await post(server, '/encrypt', 's3cr3t: p@ss');
    expect(encrypted.status).toBe(200);
    expect(encrypted.headers.get('content-type')).toContain('text/plain');
    const ciphertext = await encrypted.text();
    expect(ciphertext).not.toContain('s3cr3t');
    // A random IV per value: the same text never encrypts the same way twice.
    expect(await (await post(server, '/encrypt', 's3cr3t: p@ss')).text()).not.toBe(ciphertext);

    await repo.write('user-service.yml', `db:\n  user: shop\n  password: '{cipher}${ciphertext}'\n`);
    expect(await sources(server, '/user-service/default')).toEqual([
      { 'db.user': 'shop', 'db.password': 's3cr3t: p@ss' },
    ]);

    const decrypted = await post(server, '/decrypt', ciphertext);
    expect(decrypted.status).toBe(200);
    expect(await decrypted.text()).toBe('s3cr3t: p@ss');
  });

  it('serves a value encrypted with another key as invalid.<key> = <n/a>, as Spring does', async () => {
    const other = await start({ encrypt: { key: 'the other key' } });
    const foreign = await (await post(other, '/encrypt', 'not for you')).text();
    const server = await start({ encrypt: { key: 'this key' } });
    const own = await (await post(server, '/encrypt', 'mine')).text();
    const tampered = `${own.slice(0, -4)}${own.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await repo.write(
      'gateway.yml',
      `db:\n  user: shop\n  password: '{cipher}${foreign}'\n  token: '{cipher}${tampered}'\n  mine: '{cipher}${own}'\n`,
    );
    expect(await sources(server, '/gateway/default')).toEqual([
      { 'db.user': 'shop', 'invalid.db.password': '<n/a>', 'invalid.db.token': '<n/a>', 'db.mine': 'mine' },
    ]);

    const res = await post(server, '/decrypt', foreign);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('not encrypted with this key');
  });

  it('answers 503 without a key, and never serves ciphertext as a value', async () => {
    const keyed = await start({ encrypt: { key: 'some key' } });
    const ciphertext = await (await post(keyed, '/encrypt', 'hidden')).text();
    const server = await start({ encrypt: { key: '' } });
    for (const path of ['/encrypt', '/decrypt']) {
      const res = await post(server, path, ciphertext);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { detail: string }).detail).toBe('No encryption key configured');
    }
    await repo.write('application.yml', `secret: '{cipher}${ciphertext}'\nplain: visible\n`);
    expect(await sources(server, '/gateway/default')).toEqual([
      { 'invalid.secret': '<n/a>', plain: 'visible' },
    ]);
  });

  it('takes form-encoded text as curl -d sends it, and rejects an empty body', async () => {
    const server = await start({ encrypt: { key: 'k' } });
    const ciphertext = await (
      await post(server, '/encrypt', 'from-curl', 'application/x-www-form-urlencoded')
    ).text();
    expect(
      await (await post(server, '/decrypt', ciphertext, 'application/x-www-form-urlencoded')).text(),
    ).toBe('from-curl');
    const empty = await post(server, '/encrypt', '');
    expect(empty.status).toBe(400);
  });
});
