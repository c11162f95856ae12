import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '@sagamart/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Echo, startEcho, startGateway, stopAll, TestDiscovery } from './harness.ts';

describe('gateway serving the web app', () => {
  const discovery = new TestDiscovery();
  let webRoot: string;
  let catalog: Service<unknown>;
  let gw: Service<unknown>;
  const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
  const call = (path: string, init: RequestInit = {}) => fetch(`${gw.url}${path}`, init);

  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'sagamart-web-'));
    await mkdir(join(webRoot, 'assets'));
    await writeFile(
      join(webRoot, 'index.html'),
      '<!doctype html><title>sagamart</title><div id="root"></div>',
    );
    await writeFile(join(webRoot, 'assets', 'app-abc123.js'), 'console.log("app")');
    await writeFile(join(webRoot, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    catalog = await startEcho('catalog-service', 'catalog-1');
    discovery.set('catalog-service', catalog.url);
    gw = await startGateway(discovery, {
      webRoot,
      routes: [{ id: 'catalog', path: '/api/catalog', service: 'catalog-service', role: 'NONE' }],
    });
  });

  afterAll(async () => {
    await stopAll([gw, catalog]);
    await rm(webRoot, { recursive: true, force: true });
  });

  it('serves index.html at / and for any page the browser navigates to', async () => {
    for (const path of ['/', '/orders/12', '/admin/platform?tab=1']) {
      const res = await call(path, { headers: html });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it('serves built files, hashed assets cached for good', async () => {
    const asset = await call('/assets/app-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(await asset.text()).toBe('console.log("app")');
    expect((await call('/favicon.svg')).headers.get('content-type')).toMatch(/svg/);
  });

  it('keeps API, docs and health paths and missing files out of the fallback', async () => {
    for (const path of ['/api/unknown', '/docs/nothing', '/health/nothing', '/ws/nothing']) {
      const res = await call(path, { headers: html });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await call('/assets/missing.js')).status).toBe(404);
    expect((await call('/orders/12')).status).toBe(404);
    expect((await call('/')).status).toBe(200);
    expect((await call('/orders/12', { method: 'POST', headers: html })).status).toBe(404);
  });

  it('still routes the API', async () => {
    const res = await call('/api/catalog/items', { headers: html });
    expect(((await res.json()) as Echo).service).toBe('catalog-service');
  });

  it('does not serve files outside its folder', async () => {
    const res = await call('/assets/..%2f..%2fetc%2fpasswd', { headers: html });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('root:');
  });
});

describe('gateway serving the web app with hints', () => {
  const discovery = new TestDiscovery();
  let webRoot: string;
  let gw: Service<unknown>;
  const html = { accept: 'text/html' };

  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'sagamart-web-'));
    await writeFile(
      join(webRoot, 'index.html'),
      '<!doctype html><head><title>sagamart</title></head><div id="root"></div>',
    );
    gw = await startGateway(discovery, { webRoot, webHints: { pgPort: 10_083 } });
  });

  afterAll(async () => {
    await stopAll([gw]);
    await rm(webRoot, { recursive: true, force: true });
  });

  it('names the PG port in every page it serves (a platform started with a port offset)', async () => {
    for (const path of ['/', '/index.html', '/orders/12']) {
      const res = await fetch(`${gw.url}${path}`, { headers: html });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text(), path).toBe(
        '<!doctype html><head><title>sagamart</title><meta name="sagamart:pg-port" content="10083"></head><div id="root"></div>',
      );
    }
    const head = await fetch(`${gw.url}/`, { method: 'HEAD', headers: html });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('serves a rebuilt page without a restart', async () => {
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><head></head><p>new build</p>');
    const res = await fetch(`${gw.url}/`, { headers: html });
    expect(await res.text()).toBe(
      '<!doctype html><head><meta name="sagamart:pg-port" content="10083"></head><p>new build</p>',
    );
  });
});
