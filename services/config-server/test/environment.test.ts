import { request } from 'node:http';
import type { ConfigEnvironment, Service } from '@sagamart/kit';
import { asPlatform, startTestService } from '@sagamart/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import configServer from '../src/index.ts';
import { tempConfigRepo } from './config-repo.ts';

describe('config server: GET /{application}/{profile}[/{label}]', () => {
  let repo: Awaited<ReturnType<typeof tempConfigRepo>>;
  let server: Service;

  beforeEach(async () => {
    repo = await tempConfigRepo();
    // No event bus needed to serve files.
    server = await startTestService(configServer, {
      config: { configServer: { repo: repo.dir }, database: { url: '' } },
    });
  });
  afterEach(async () => {
    await server.stop();
    await repo.remove();
  });

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: asPlatform() });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: (await res.json()) as ConfigEnvironment,
    };
  };
  // fetch() would normalise `..` segments away; send the path exactly as written.
  const rawGet = (path: string) =>
    new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(server.url);
      const req = request({ hostname, port, path, headers: asPlatform() }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }),
        );
      });
      req.on('error', reject);
      req.end();
    });
  const sourceNames = (env: ConfigEnvironment) => env.propertySources.map((s) => s.name);

  async function writeLayeredRepo() {
    await repo.write(
      'application.yml',
      'log:\n  level: info\nshared:\n  owner: application\n  note: from application\n',
    );
    await repo.write('application-dev.yml', 'shared:\n  owner: application-dev\n');
    await repo.write(
      'gateway.yml',
      [
        'shared:',
        '  owner: gateway',
        'routes:',
        '  - id: users',
        '    uri: lb://user-service',
        '    predicates: [Path=/api/users/**]',
        '  - id: products',
        '    uri: lb://product-service',
        'limits:',
        '  perMinute: 100',
        '  burst: true',
        '  empty:',
        '',
      ].join('\n'),
    );
    await repo.write('gateway-dev.yml', 'shared:\n  owner: gateway-dev\nlimits:\n  perMinute: 1000\n');
    await repo.write('user-service.yml', 'shared:\n  owner: user-service\n');
  }

  it("answers in Spring's Environment shape, most specific file first, keys flattened", async () => {
    await writeLayeredRepo();
    const { status, body } = await get('/gateway/dev');
    expect(status).toBe(200);
    expect(body).toEqual({
      name: 'gateway',
      profiles: ['dev'],
      label: null,
      version: null,
      state: null,
      propertySources: [
        {
          name: repo.sourceName('gateway-dev.yml'),
          source: { 'shared.owner': 'gateway-dev', 'limits.perMinute': 1000 },
        },
        { name: repo.sourceName('application-dev.yml'), source: { 'shared.owner': 'application-dev' } },
        {
          name: repo.sourceName('gateway.yml'),
          source: {
            'shared.owner': 'gateway',
            'routes[0].id': 'users',
            'routes[0].uri': 'lb://user-service',
            'routes[0].predicates[0]': 'Path=/api/users/**',
            'routes[1].id': 'products',
            'routes[1].uri': 'lb://product-service',
            'limits.perMinute': 100,
            'limits.burst': true,
            // A YAML null is served as an empty string, as Spring does.
            'limits.empty': '',
          },
        },
        {
          name: repo.sourceName('application.yml'),
          source: { 'log.level': 'info', 'shared.owner': 'application', 'shared.note': 'from application' },
        },
      ],
    });
  });

  it('reads only the plain files and -default files for the default profile', async () => {
    await writeLayeredRepo();
    await repo.write('gateway-default.yml', 'shared:\n  owner: gateway-default\n');
    const { body } = await get('/gateway/default');
    expect(body.profiles).toEqual(['default']);
    expect(sourceNames(body)).toEqual([
      repo.sourceName('gateway-default.yml'),
      repo.sourceName('gateway.yml'),
      repo.sourceName('application.yml'),
    ]);
  });

  it('lets a later profile win over an earlier one', async () => {
    await writeLayeredRepo();
    await repo.write('gateway-local.yml', 'shared:\n  owner: gateway-local\n');
    await repo.write('application-local.yml', 'shared:\n  owner: application-local\n');
    const { body } = await get('/gateway/dev,local');
    expect(body.profiles).toEqual(['dev', 'local']);
    expect(sourceNames(body)).toEqual([
      repo.sourceName('gateway-local.yml'),
      repo.sourceName('application-local.yml'),
      repo.sourceName('gateway-dev.yml'),
      repo.sourceName('application-dev.yml'),
      repo.sourceName('gateway.yml'),
      repo.sourceName('application.yml'),
    ]);
    const reversed = await get('/gateway/local,dev');
    expect(sourceNames(reversed.body).slice(0, 2)).toEqual([
      repo.sourceName('gateway-dev.yml'),
      repo.sourceName('application-dev.yml'),
    ]);
  });

  it('answers an unknown application with the shared files only', async () => {
    await writeLayeredRepo();
    const { status, body } = await get('/nobody/dev');
    expect(status).toBe(200);
    expect(body.name).toBe('nobody');
    expect(sourceNames(body)).toEqual([
      repo.sourceName('application-dev.yml'),
      repo.sourceName('application.yml'),
    ]);
  });

  it('answers with no property sources when the repository has no matching file', async () => {
    const { status, body } = await get('/gateway/default');
    expect(status).toBe(200);
    expect(body.propertySources).toEqual([]);
  });

  it('puts the files of the label folder before the root ones', async () => {
    await writeLayeredRepo();
    await repo.write('release-1/gateway.yml', 'shared:\n  owner: release-1\n');
    const { body } = await get('/gateway/default/release-1');
    expect(body.label).toBe('release-1');
    expect(sourceNames(body)).toEqual([
      repo.sourceName('release-1/gateway.yml'),
      repo.sourceName('gateway.yml'),
      repo.sourceName('application.yml'),
    ]);
  });

  it('reads .yaml files too, after the .yml file of the same name', async () => {
    await repo.write('gateway.yml', 'a: yml\n');
    await repo.write('gateway.yaml', 'a: yaml\n');
    const { body } = await get('/gateway/default');
    expect(body.propertySources).toEqual([
      { name: repo.sourceName('gateway.yml'), source: { a: 'yml' } },
      { name: repo.sourceName('gateway.yaml'), source: { a: 'yaml' } },
    ]);
  });

  it('serves edits without a restart', async () => {
    await repo.write('gateway.yml', 'features:\n  banner: first\n');
    expect((await get('/gateway/default')).body.propertySources[0]!.source).toEqual({
      'features.banner': 'first',
    });
    await repo.write('gateway.yml', 'features:\n  banner: second\n');
    expect((await get('/gateway/default')).body.propertySources[0]!.source).toEqual({
      'features.banner': 'second',
    });
  });

  it.each([
    ['/..%2F..%2Fetc/default', 'a path in the application'],
    ['/%2E%2E/default', 'a dot-only application'],
    ['/.hidden/default', 'an application starting with a dot'],
    ['/gate%20way/default', 'a space'],
    ['/gateway/dev%2F..', 'a path in the profile'],
    ['/gateway/dev,,local', 'an empty profile in the list'],
    ['/gateway/default/..', 'a parent folder as label'],
    ['/gateway/default/%2E%2E', 'an encoded parent folder as label'],
    ['/gateway/default/..%2F..', 'a path as label'],
  ])('rejects %s (%s) with 400', async (path) => {
    await writeLayeredRepo();
    const res = await rawGet(path);
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    const problem = JSON.parse(res.body) as { status: number; errors: Array<{ field: string }> };
    expect(problem.status).toBe(400);
    expect(problem.errors.length).toBeGreaterThan(0);
  });

  it('names the broken file when the YAML cannot be read', async () => {
    await repo.write('gateway.yml', 'features:\n  banner: [unclosed\n');
    const { status, type, body } = await get('/gateway/default');
    expect(status).toBe(500);
    expect(type).toContain('application/problem+json');
    expect((body as unknown as { detail: string }).detail).toContain(
      `${repo.sourceName('gateway.yml')} is not valid YAML`,
    );
  });

  it('reports the repository in readiness', async () => {
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'UP', components: { configRepo: { status: 'UP' } } });
    await repo.remove();
    const gone = await fetch(`${server.url}/health/ready`);
    expect(gone.status).toBe(503);
    expect(await gone.json()).toMatchObject({
      status: 'DOWN',
      components: { configRepo: { status: 'DOWN' } },
    });
  });
});
