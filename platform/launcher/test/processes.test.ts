import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkService, type RunningProcess, stopProcess } from '../src/processes.ts';
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
await runService(() => ({
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
});
