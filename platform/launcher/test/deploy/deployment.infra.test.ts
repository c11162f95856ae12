import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topology } from '@sagamart/contracts';
import { eventually, infra, pgServerUrl, uniqueName } from '@sagamart/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/services.ts';
import {
  type Container,
  containerEnv,
  imageDefaults,
  type K8sObject,
  localAddresses,
  materializeMounts,
  portOf,
  render,
  repoService,
  secretKeys,
  serviceDeployments,
  wantedServices,
} from './manifests.ts';

// The deployment test: for each Deployment of the dev overlay (every service, the mocks included),
// start the container's command with the environment the manifests give it (ConfigMaps and Secret
// keys resolved, in-cluster addresses pointed at 127.0.0.1, ports moved by the offset, the real
// PostgreSQL, RabbitMQ and Redis), run the readiness probe it declares and require that it passes.
// This proves the env names, ports, probe paths and config keys of the manifests are the code's.

const OFFSET = Number(process.env.SAGAMART_PLATFORM_TEST_PORT_OFFSET ?? 20_000) + 300;
const objects: K8sObject[] = render('overlays/dev');
const wanted = wantedServices();
const deployments = serviceDeployments(objects).filter((d) => !wanted || wanted(d.service));
const suffix = uniqueName('dep').slice(4);
/** Every service's queues and exchanges, deleted when the file ends. */
const amqpPrefix = infra.amqp(topology).prefix;
const toLocal = localAddresses(objects, OFFSET);
const secrets = secretKeys();
const secretValue = (key: string): string => {
  if (!secrets.has(key))
    throw new Error(`a manifest references Secret key ${key}, not in secrets.env.example`);
  if (key === 'database-url') return pgServerUrl();
  if (key === 'amqp-url') return infra.amqpUrl;
  if (key === 'redis-url') return infra.redisUrl;
  // Every other key is a secret: a fresh strong value, as production would have (shared keys match).
  return `${key}-${suffix}-${randomBytes(12).toString('hex')}`;
};
const secretValues = new Map<string, string>();
const secret = (key: string) => {
  if (!secretValues.has(key)) secretValues.set(key, secretValue(key));
  return secretValues.get(key)!;
};

const running: Array<{ service: string; child: ChildProcess }> = [];
const logDir = mkdtempSync(join(tmpdir(), 'sagamart-deployment-test-'));

/** Starts one Deployment's container as a process on this machine; resolves once it is spawned. */
function startContainer(service: string, deployment: K8sObject, container: Container): ChildProcess {
  const image = imageDefaults();
  const env = containerEnv(objects, container, secret);
  const mounts = materializeMounts(objects, deployment, container, join(logDir, service));
  for (const [name, value] of Object.entries(env)) {
    let local = toLocal(value);
    for (const [mountPath, folder] of mounts) if (local === mountPath) local = folder;
    env[name] = local;
  }
  Object.assign(env, {
    // The image listens on 0.0.0.0 inside its own network namespace; here, loopback only.
    SERVER_HOST: '127.0.0.1',
    SERVER_PORT: String(portOf(container, 'http', OFFSET)),
    // This run's own databases, queues and Redis keys on the shared servers.
    DATABASE_NAME: `t_db_${service.replaceAll('-', '_')}_${suffix}`,
    BUS_DATABASE: `t_bus_${suffix}`,
    AMQP_PREFIX: amqpPrefix,
    GATEWAY_RATELIMITKEYPREFIX: `t:${suffix}:rate:`,
    CATALOG_CACHE_REDISPREFIX: `t:${suffix}:catalog:`,
  });
  if (env.CONFIGSERVER_REPO === image.env.CONFIGSERVER_REPO) env.CONFIGSERVER_REPO = join(repoRoot, 'config');
  const [command, ...args] = [...(container.command ?? image.entrypoint), ...(container.args ?? [])];
  const child = spawn(command === 'node' ? process.execPath : command!, args, {
    cwd: image.workdir === '/app' ? repoRoot : image.workdir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(logDir, `${service}.log`));
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  running.push({ service, child });
  return child;
}

/** The container's readiness probe as the kubelet runs it: an HTTP GET on the named port. */
async function readinessProbe(container: Container): Promise<number> {
  const probe = container.readinessProbe?.httpGet;
  if (!probe) throw new Error(`${container.name} declares no HTTP readiness probe`);
  const url = `http://127.0.0.1:${portOf(container, probe.port, OFFSET)}${probe.path}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return res.status;
}

async function startAndProbe(service: string, deployment: K8sObject, container: Container): Promise<void> {
  const child = startContainer(service, deployment, container);
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? -1));
  await eventually(
    async () => {
      if (exited !== null)
        throw new Error(`${service} exited with ${exited} (log: ${join(logDir, `${service}.log`)})`);
      return (await readinessProbe(container).catch(() => 0)) === 200;
    },
    // Generous: a shared two-core machine can start ten services slowly (the manifests' startup
    // probe allows 120 s on a node of its own).
    240_000,
    250,
  ).catch((error: Error) => {
    throw new Error(`${service}: readiness probe did not pass: ${error.message} (log in ${logDir})`);
  });
}

describe('deployment: every Deployment starts from its manifest and passes its readiness probe', () => {
  beforeAll(() => {
    // Fail, not skip, when a manifest names a service the repo does not have.
    const missing = deployments.map((d) => repoService(d.service)).filter((r) => typeof r === 'string');
    if (missing.length) throw new Error(missing.join('\n'));
    infra.available('rabbitmq');
    infra.available('redis');
  });

  // The logs stay only for a failure to point at.
  let passed = true;
  afterEach(({ task }) => {
    if (task.result?.state !== 'pass') passed = false;
  });

  afterAll(async () => {
    await Promise.all(
      running.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    if (passed) rmSync(logDir, { recursive: true, force: true });
  }, 30_000);

  it('config server first, then every other service', { timeout: 900_000 }, async () => {
    expect(deployments.length).toBeGreaterThan(0);
    const first = deployments.filter((d) => d.service === 'config-server');
    const rest = deployments.filter((d) => d.service !== 'config-server');
    for (const d of first) await startAndProbe(d.service, d.deployment, d.container);
    // Three at a time: ten Node processes loading at once starve a two-core machine.
    const failures: string[] = [];
    const queue = [...rest];
    await Promise.all(
      [1, 2, 3].map(async () => {
        for (let d = queue.shift(); d; d = queue.shift()) {
          await startAndProbe(d.service, d.deployment, d.container).catch((error: Error) =>
            failures.push(error.message),
          );
        }
      }),
    );
    expect(failures).toEqual([]);
    // Each probe answered 200 at the end, with every service up side by side.
    for (const d of deployments) expect(await readinessProbe(d.container), d.service).toBe(200);
  });
});
