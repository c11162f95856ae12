import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkService, forkServiceHost, type RunningProcess, stopProcess } from '../src/processes.ts';
import { compileServicesAside } from '../src/service-bundles.ts';
import type { ServicePackage } from '../src/services.ts';

// The kit's service entry point, by path: the fixtures live outside the workspace.
const kitRun = fileURLToPath(new URL('../../kit/src/run.ts', import.meta.url));

// The launcher forks every service at once and starts them tier by tier: a forked service loads its
// code and waits for its turn.
describe('launcher: service processes', () => {
  let root: string;
  const running: RunningProcess[] = [];
  const exits: string[] = [];
  const service = async (name: string, main: string): Promise<ServicePackage> => {
    const dir = join(root, name);
    await mkdir(join(dir, 'src'), { recursive: true });
    await writeFile(join(dir, 'src/main.ts'), main);
    return { name, dir, port: 1, tier: 2, entry: join(dir, 'src/main.ts'), module: join(dir, 'src/main.ts') };
  };
  // As the launcher runs a service: compiled (which also puts the kit's code in the bundle).
  const fork = async (s: ServicePackage) => {
    const compiled = (await compileServicesAside([s])).get(s.name);
    const forked = forkService(s, {
      compiled,
      env: {},
      logDir: root,
      onLog: () => {},
      onExit: (label, code) => exits.push(`${label} ${code}`),
    });
    running.push(forked.running);
    return forked;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sagamart-processes-'));
  });

  afterAll(async () => {
    await Promise.all(running.map((r) => stopProcess(r)));
    await rm(root, { recursive: true, force: true });
  });

  it('loads a service ahead of its turn and starts it only when told', async () => {
    const s = await service(
      'patient',
      `import { runService } from '${kitRun}';
void runService(() => ({
  name: 'patient',
  async start() { console.log('starting now'); return 'http://127.0.0.1:1'; },
  async stop() {},
}) as never);`,
    );
    const forked = await fork(s);
    await forked.loaded;
    expect(await readFile(join(root, 'patient.log'), 'utf8')).not.toContain('starting now');
    const ready = await forked.start();
    expect(ready.url).toBe('http://127.0.0.1:1');
    expect(await readFile(join(root, 'patient.log'), 'utf8')).toContain('starting now');
  }, 60_000);

  it('reports a service that fails while it loads when its turn comes, as before', async () => {
    const forked = await fork(await service('broken', "throw new Error('cannot load');"));
    await expect(forked.start()).rejects.toThrow(/broken exited with code 1 before it was ready/);
    expect(exits).toContain('broken 1');
  }, 60_000);

  it('runs several services in one shared process, each started and stopped on its own, each logging to its own file', async () => {
    // A service that answers HTTP on a port of its own and logs as the kit's pino logger does.
    const hosted = async (name: string) => {
      const dir = join(root, name);
      await mkdir(dir, { recursive: true });
      const module = join(dir, 'index.mjs');
      await writeFile(
        module,
        `import { createServer } from 'node:http';
export default (options) => {
  let server;
  const log = (msg) => console.log(JSON.stringify({ level: 30, name: '${name}', msg }));
  return {
    name: '${name}',
    async start() {
      server = createServer((req, res) => res.end(JSON.stringify({ name: '${name}', port: options.env.SERVER_PORT })));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      log('started');
      return 'http://127.0.0.1:' + server.address().port;
    },
    async stop() { log('stopped'); await new Promise((resolve) => server.close(resolve)); },
  };
};`,
      );
      const service: ServicePackage = {
        name,
        dir,
        port: 1,
        tier: 2,
        host: 'fixtures',
        entry: module,
        module,
      };
      return service;
    };
    const first = await hosted('first-hosted');
    const second = await hosted('second-hosted');
    const host = forkServiceHost(
      'fixtures-host',
      [first, second],
      { kit: kitRun, services: new Map([first, second].map((s) => [s.name, s.module])), compiled: false },
      { env: {}, logDir: root, onLog: () => {}, onExit: (label, code) => exits.push(`${label} ${code}`) },
    );
    try {
      await host.loaded;
      const one = await host.start(first, { SERVER_PORT: '101' });
      const two = await host.start(second, { SERVER_PORT: '102' });
      expect(one.child.pid).toBe(two.child.pid);
      // Each got its own environment.
      expect(await (await fetch(one.url!)).json()).toEqual({ name: 'first-hosted', port: '101' });
      expect(await (await fetch(two.url!)).json()).toEqual({ name: 'second-hosted', port: '102' });
      await expect(host.start({ ...first, name: 'unknown' }, {})).rejects.toThrow(
        /hosts no service named unknown/,
      );

      // One stopped, the other still serves.
      await stopProcess(one);
      await expect(fetch(one.url!)).rejects.toThrow();
      expect((await fetch(two.url!)).status).toBe(200);
      await eventuallyContains(join(root, 'first-hosted.log'), 'stopped');
      const firstLog = await readFile(join(root, 'first-hosted.log'), 'utf8');
      expect(firstLog).toContain('"msg":"started"');
      expect(firstLog).not.toContain('second-hosted');
      expect(await readFile(join(root, 'second-hosted.log'), 'utf8')).not.toContain('"msg":"stopped"');
    } finally {
      await stopProcess(host);
    }
    expect(exits).toContain('fixtures-host 0');
    await eventuallyContains(join(root, 'second-hosted.log'), '"msg":"stopped"');
  }, 60_000);
});

async function eventuallyContains(file: string, text: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if ((await readFile(file, 'utf8').catch(() => '')).includes(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${file} never contained ${text}`);
}
