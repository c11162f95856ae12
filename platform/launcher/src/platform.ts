import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { SharedPostgresTransport } from '@sagamart/kit';
import { hashReader } from './bundle-manifest.mjs';
import {
  credentialsFile,
  type DeploymentLogin,
  deploymentLogin,
  platformAuthorization,
} from './credentials.ts';
import { inProcessModules } from './in-process.ts';
import { getLocal } from './local-http.ts';
import {
  type EmbeddedPostgresServer,
  type ForkedService,
  forkService,
  forkServiceHost,
  type RunningProcess,
  type ServiceHost,
  startPostgresHost,
  stopProcess,
} from './processes.ts';
import { compileInProcessAside, compileServicesAside } from './service-bundles.ts';
import { findServices, kitSource, repoRoot, type ServicePackage, tiers } from './services.ts';

export interface PlatformOptions {
  /** All services in this one process (low memory). */
  inProcess?: boolean;
  /**
   * Every service in a process of its own, the supporting servers too, instead of one process for
   * those that name the same `host` in their package.json (docs/adr/0011). The resources bench
   * measures each service's memory this way.
   */
  processPerService?: boolean;
  /** Where embedded PostgreSQL data and logs live. */
  dataDir?: string;
  /** Wipe dataDir first. */
  reset?: boolean;
  quiet?: boolean;
  /** Extra environment for every service (e.g. DISCOVERY_LEASEMS for tests). */
  env?: Record<string, string>;
  /** Embedded PostgreSQL port (default EMBEDDED_PG_PORT or 5433). */
  postgresPort?: number;
  /** Added to every service port, so a second platform (tests) can run beside `npm start`. */
  portOffset?: number;
  /** Start only these services (default: SAGAMART_SERVICES, comma-separated, or all). */
  only?: string[];
  /**
   * Processes per service (default 1), each registering with discovery, so the gateway and the
   * service clients balance across them. Instance i (from 0) listens on the service's port plus
   * i × instancePortStep.
   */
  instances?: Record<string, number>;
  /** Port distance between a service's instances (default 400). */
  instancePortStep?: number;
  /** Extra environment for a service's instance, over `env` (e.g. its own database on a shared server). */
  serviceEnv?: (service: string, instance: number) => Record<string, string>;
  log?: (line: string) => void;
}

export interface ServiceStatus {
  name: string;
  /** 0 for the first instance of the service, 1 for the second, … */
  instance: number;
  port: number;
  url: string | undefined;
  pid: number | undefined;
  status: 'UP' | 'DOWN' | 'STARTING';
}

export interface Platform {
  gatewayUrl: string;
  discoveryUrl: string;
  configUrl: string;
  mode: 'embedded' | 'external';
  adminEmail: string;
  adminPassword: string;
  /** The demo agent of the chat console (`bootstrap.agent`), unless it is turned off. */
  agentLogin: { email: string; password: string } | undefined;
  /** The deployment's credentials (kept in `<dataDir>/credentials.json` unless SAGAMART_DEPLOYMENT_SECRET is set). */
  login: DeploymentLogin;
  /** `Authorization` for the config and discovery servers. */
  platformAuthorization: string;
  /** Every instance of every service. */
  services(): ServiceStatus[];
  /** The OS process of a service's instance (multi-process mode). */
  process(name: string, instance?: number): RunningProcess | undefined;
  /** Starts a service's instance again, stopping it first if it still runs (multi-process mode). */
  restart(name: string, instance?: number): Promise<void>;
  stop(): Promise<void>;
}

export const defaultDataDir = join(repoRoot, '.data');

/** One process of a service: the service's first instance carries its name, the next `<name>-2`, … */
interface Instance {
  service: ServicePackage;
  index: number;
  label: string;
  running?: RunningProcess;
  url?: string;
  status: ServiceStatus['status'];
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts the whole platform: PostgreSQL (embedded unless DATABASE_URL is set), then the config
 * server, the discovery server, and every other service in parallel, each in its own process.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = options.dataDir ?? defaultDataDir;
  if (options.reset) await rm(dataDir, { recursive: true, force: true });
  const logDir = join(dataDir, 'logs');
  await mkdir(logDir, { recursive: true });

  const offset = options.portOffset ?? 0;
  const only =
    options.only ??
    process.env.SAGAMART_SERVICES?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const services = (await findServices())
    .filter((s) => !only?.length || only.includes(s.name))
    .map((s) => ({ ...s, port: s.port + offset }));
  const step = options.instancePortStep ?? 400;
  // Every process to run: one per instance, instance 0 under the service's own name.
  const instances = services.flatMap((service) =>
    Array.from(
      { length: Math.max(1, Math.floor(options.instances?.[service.name] ?? 1) || 1) },
      (_, i): Instance => ({
        service: { ...service, port: service.port + i * step },
        index: i,
        label: i === 0 ? service.name : `${service.name}-${i + 1}`,
        status: 'STARTING',
      }),
    ),
  );
  // The platform's supporting servers share one process (docs/adr/0011): those of a host with one
  // instance each, when two or more of them run.
  const hostGroups = new Map<string, Instance[]>();
  if (!options.inProcess && !options.processPerService) {
    for (const entry of instances) {
      const { host, name } = entry.service;
      if (host && instances.filter((i) => i.service.name === name).length === 1)
        hostGroups.set(host, [...(hostGroups.get(host) ?? []), entry]);
    }
    for (const [host, members] of hostGroups) if (members.length < 2) hostGroups.delete(host);
  }
  const hostOf = new Map(
    [...hostGroups].flatMap(([host, members]) => members.map((m) => [m, host] as const)),
  );
  const ownProcess = services.filter(
    (s) => !instances.some((i) => i.service.name === s.name && hostOf.has(i)),
  );

  for (const { service, label } of instances) {
    if (!(await portFree(service.port))) {
      throw new Error(`Port ${service.port} (${label}) is in use. Is sagamart already running?`);
    }
  }
  const configUrl = `http://127.0.0.1:${8888 + offset}`;
  const discoveryUrl = `http://127.0.0.1:${8761 + offset}`;
  const gatewayUrl = `http://127.0.0.1:${8080 + offset}`;

  // Services run compiled JavaScript (docs/adr/0008, 0010), built while PostgreSQL starts;
  // SAGAMART_RUN_TS=1 runs their sources through tsx instead. A failed build of one process per
  // service falls back to tsx (with a warning); in one process there is no tsx to fall back to.
  const runSources = process.env.SAGAMART_RUN_TS === '1';
  // Both checks below read the same sources (most of them shared): each file is read and hashed once.
  const hashOf = hashReader();
  const compiling =
    runSources || options.inProcess
      ? Promise.resolve(new Map<string, string>())
      : compileServicesAside(ownProcess, hashOf).catch((error: Error) => {
          log(`Could not compile the services (${error.message}); running their sources through tsx.`);
          return new Map<string, string>();
        });
  // Every service, whichever run: one bundle serves any subset, and the set stays the same. A
  // shared host (docs/adr/0011) loads its services from it too.
  const compilingInProcess =
    (options.inProcess || hostGroups.size > 0) && !runSources
      ? compileInProcessAside(await findServices(), hashOf).catch((error: Error) => {
          if (!options.inProcess) {
            log(
              `Could not compile the shared host's services (${error.message}); running their sources through tsx.`,
            );
            return undefined;
          }
          throw new Error(
            `Could not compile the services (${error.message}); SAGAMART_RUN_TS=1 runs their sources through tsx.`,
          );
        })
      : Promise.resolve(undefined);
  // Handled where it is awaited; not an unhandled rejection while PostgreSQL starts.
  compilingInProcess.catch(() => {});

  let postgres: EmbeddedPostgresServer | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    // Moved with the services, so a second platform (--port-offset) starts beside the first.
    const port = options.postgresPort ?? Number(process.env.EMBEDDED_PG_PORT ?? 5433 + offset);
    if (!(await portFree(port)))
      throw new Error(`Port ${port} for the embedded PostgreSQL is in use (set EMBEDDED_PG_PORT).`);
    if (!options.quiet)
      log(`Starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${join(dataDir, 'postgres')})`);
    postgres = await startPostgresHost(join(dataDir, 'postgres'), port, logDir);
    databaseUrl = postgres.url;
  }
  const login = await deploymentLogin(dataDir, { ...process.env, ...options.env });
  const authorization = platformAuthorization(login);
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    CONFIG_SERVER_URL: configUrl,
    DISCOVERY_URL: discoveryUrl,
    ...(process.env.AMQP_URL ? { AMQP_URL: process.env.AMQP_URL } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    // The chat console's demo agent (agent@sagamart.dev / Agent123!) exists for development only: on
    // here, off in config/ and the bundled defaults, so no deployment creates it unasked.
    BOOTSTRAP_AGENT_ENABLED: process.env.BOOTSTRAP_AGENT_ENABLED ?? 'true',
    ...options.env,
  };
  // `npm run service -- <name>` reads this to start one service against the running platform
  // (and the secret from credentials.json, which only the owner can read).
  await writeFile(join(dataDir, 'platform.json'), JSON.stringify({ env }, null, 2));
  if (!options.quiet && !process.env.SAGAMART_DEPLOYMENT_SECRET)
    log(`Deployment credentials (config and discovery servers, service tokens): ${credentialsFile(dataDir)}`);

  const byLabel = new Map(instances.map((i) => [i.label, i]));
  const instanceOf = (name: string, index = 0) =>
    instances.find((i) => i.service.name === name && i.index === index);
  let stopping = false;
  const inProcess: Array<{ name: string; stop(): Promise<void> }> = [];
  // In one process: the kit and the services' factories, from the compiled build (or the sources).
  const inProcessBuild = await compilingInProcess;
  const modules = inProcessModules(inProcessBuild);
  // In one process the services share one PostgreSQL queue transport: one LISTEN connection and one
  // pool on the bus database instead of one of each per service (PostgreSQL backends are most of
  // --in-process's memory). Not with a broker or a bus database of their own (tests).
  let sharedTransport: SharedPostgresTransport | undefined;
  if (options.inProcess) {
    // Loaded here, not at the top: one process per service never needs the kit in the launcher.
    const { sharedPostgresTransport } = await modules.kit();
    sharedTransport = sharedPostgresTransport({
      poolSize: 8,
      onError: (error) => {
        if (!options.quiet) log(`[transport] WARN ${(error as Error).message ?? String(error)}`);
      },
    });
  }

  // Every service exports its spans to the platform's trace-server, unless TRACING_ZIPKIN_URL names
  // another collector (a real Zipkin, Jaeger's Zipkin endpoint). The trace-server exports nothing.
  const traceServer = services.find((s) => s.name === 'trace-server');
  const zipkinUrl =
    process.env.TRACING_ZIPKIN_URL ??
    (traceServer ? `http://127.0.0.1:${traceServer.port}/api/v2/spans` : undefined);
  // The web app sends shoppers to the mock PG on its own port, which moves with --port-offset: the
  // gateway names it in the pages it serves.
  const mockPg = services.find((s) => s.name === 'mock-pg');
  const serviceEnv = (s: ServicePackage, instance: number) => ({
    ...env,
    ...(zipkinUrl && s.name !== 'trace-server' && !env.TRACING_ZIPKIN_URL
      ? { TRACING_ZIPKIN_URL: zipkinUrl }
      : {}),
    ...(s.name === 'gateway' && mockPg ? { GATEWAY_WEBHINTS_PGPORT: String(mockPg.port) } : {}),
    ...options.serviceEnv?.(s.name, instance),
    SAGAMART_DEPLOYMENT_SECRET: login.deploymentSecret,
    SERVER_PORT: String(s.port),
  });
  const spawnOptions = {
    logDir,
    onLog: (service: string, level: number, message: string) => {
      if (!options.quiet || level >= 50) log(`[${service}] ${level >= 50 ? 'ERROR' : 'WARN'} ${message}`);
    },
    onExit: (label: string, code: number | null, signal: NodeJS.Signals | null) => {
      const entry = byLabel.get(label);
      if (entry) entry.status = 'DOWN';
      if (!stopping)
        log(
          `[${label}] exited (${signal ?? `code ${code}`}). Restart it with: npm run service -- ${entry?.service.name ?? label}`,
        );
    },
  };

  const compiled = await compiling;

  const waitUntilReady = (entry: Instance) =>
    waitFor(`${entry.label} to be ready`, async () => {
      const url = entry.url ?? `http://127.0.0.1:${entry.service.port}`;
      return (await getLocal(`${url}/health/ready`)).ok;
    });

  // A shared host: one process, forked with its first service, then asked to start each in its tier.
  const hosts = new Map<string, ServiceHost>();
  const hostFor = (name: string) => {
    const running = hosts.get(name);
    if (running && running.child.exitCode === null && running.child.signalCode === null) return running;
    const members = hostGroups.get(name)!;
    const host = forkServiceHost(
      `${name}-host`,
      members.map((m) => m.service),
      {
        kit: inProcessBuild?.kit ?? kitSource,
        services: new Map(
          members.map((m) => [
            m.service.name,
            inProcessBuild?.services.get(m.service.name) ?? m.service.module,
          ]),
        ),
        compiled: inProcessBuild !== undefined,
      },
      {
        ...spawnOptions,
        env,
        onExit: (label, code, signal) => {
          for (const member of members) member.status = 'DOWN';
          if (!stopping)
            log(
              `[${label}] exited (${signal ?? `code ${code}`}): ${members.map((m) => m.label).join(', ')} stopped with it. Restart one with: npm run service -- <name>`,
            );
        },
      },
    );
    hosts.set(name, host);
    return host;
  };

  // Every service process is forked at once and loads its code; each starts when its tier comes.
  const forked = new Map<Instance, Pick<ForkedService, 'loaded' | 'start'>>();
  const forkOne = (entry: Instance): Pick<ForkedService, 'loaded' | 'start'> => {
    const hostName = hostOf.get(entry);
    if (hostName) {
      const host = hostFor(hostName);
      const member = {
        loaded: host.loaded,
        start: (timeoutMs?: number) =>
          host.start(entry.service, serviceEnv(entry.service, entry.index), timeoutMs),
      };
      forked.set(entry, member);
      return member;
    }
    const process = forkService(entry.service, {
      ...spawnOptions,
      label: entry.label,
      env: serviceEnv(entry.service, entry.index),
      compiled: compiled.get(entry.service.name),
    });
    entry.running = process.running;
    forked.set(entry, process);
    return process;
  };

  const startOne = async (entry: Instance) => {
    const s = entry.service;
    entry.status = 'STARTING';
    if (options.inProcess) {
      const factory = await modules.factory(s);
      const serviceEnvironment = { ...process.env, ...serviceEnv(s, entry.index) };
      const transport = await sharedTransport?.for(serviceEnvironment);
      const service = factory({ env: serviceEnvironment, ...(transport ? { transport } : {}) });
      entry.url = await service.start();
      inProcess.push({ name: s.name, stop: () => service.stop() });
    } else {
      const process = forked.get(entry) ?? forkOne(entry);
      forked.delete(entry);
      entry.running = await process.start();
      entry.url = entry.running.url;
    }
    entry.status = 'UP';
  };

  const stop = async () => {
    stopping = true;
    // The trace-server stops after every other service: each sends it its last spans as it stops.
    const isCollector = (name: string) => name === 'trace-server';
    if (options.inProcess) {
      const lastStartedFirst = [...inProcess].reverse();
      for (const service of [
        ...lastStartedFirst.filter((s) => !isCollector(s.name)),
        ...lastStartedFirst.filter((s) => isCollector(s.name)),
      ])
        await service.stop().catch(() => {});
      await sharedTransport?.close().catch(() => {});
    } else {
      // Reverse tier order: callers first, the registry and config server last; then the trace-server.
      const collector = (i: Instance) => isCollector(i.service.name);
      const stopAll = (chosen: (i: Instance) => boolean) =>
        Promise.all(instances.filter((i) => chosen(i) && i.running).map((i) => stopProcess(i.running!)));
      for (const group of tiers(services).reverse()) {
        const names = new Set(group.map((s) => s.name));
        await stopAll((i) => names.has(i.service.name) && !collector(i));
      }
      await stopAll(collector);
      await Promise.all([...hosts.values()].map((host) => stopProcess(host)));
    }
    await postgres?.stop();
  };

  try {
    if (!options.inProcess) {
      // The first tier loads alone (its start is on everyone's path), then every other process loads
      // while the first tiers start, as many at a time as there are cores: eleven at once left the
      // first tiers a twelfth of the machine (docs/performance.md, change 29). A process whose turn
      // to start comes before its turn to load is forked by startOne.
      const [first = []] = tiers(services);
      const firstTier = instances.filter((i) => first.some((s) => s.name === i.service.name));
      await Promise.all(firstTier.map((entry) => forkOne(entry).loaded));
      const waiting = instances.filter((entry) => !forked.has(entry));
      const loadInTurn = async () => {
        for (let entry = waiting.shift(); entry && !stopping; entry = waiting.shift())
          if (!entry.running && entry.status !== 'UP') await forkOne(entry).loaded;
      };
      // A fork that fails here fails again, reported, at that service's start.
      for (let i = 0; i < availableParallelism(); i++) loadInTurn().catch(() => {});
    }
    for (const group of tiers(services)) {
      const names = new Set(group.map((s) => s.name));
      await Promise.all(instances.filter((i) => names.has(i.service.name)).map(startOne));
    }
    const expected = instances.filter((i) => i.service.name !== 'discovery-server');
    if (services.some((s) => s.name === 'discovery-server')) {
      await waitFor('every service to register with discovery', async () => {
        const res = await getLocal(`${discoveryUrl}/api/registry/apps`, { headers: { authorization } });
        const body = JSON.parse(res.text) as {
          applications: Array<{ name: string; instances: Array<{ url: string }> }>;
        };
        const registered = new Set(body.applications.flatMap((a) => a.instances.map((i) => i.url)));
        return expected.every((i) => i.url && registered.has(i.url));
      });
    }
    // Registered is not ready: e.g. user-service is ready once its bootstrap admin exists.
    await Promise.all(instances.map((i) => waitUntilReady(i)));
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }

  const admin = await adminCredentials(configUrl, authorization, env);
  return {
    gatewayUrl,
    discoveryUrl,
    configUrl,
    mode: postgres ? 'embedded' : 'external',
    ...admin,
    login,
    platformAuthorization: authorization,
    services: () =>
      instances.map((entry) => ({
        name: entry.service.name,
        instance: entry.index,
        port: entry.service.port,
        url: entry.url ?? `http://127.0.0.1:${entry.service.port}`,
        pid: entry.running?.child.pid ?? (options.inProcess ? process.pid : undefined),
        status: entry.status,
      })),
    process: (name, index) => instanceOf(name, index)?.running,
    restart: async (name, index) => {
      const entry = instanceOf(name, index);
      if (!entry) throw new Error(`No instance ${index ?? 0} of ${name}`);
      if (options.inProcess) throw new Error('restart is for multi-process mode');
      if (entry.running) await stopProcess(entry.running);
      await startOne(entry);
      await waitUntilReady(entry);
    },
    stop,
  };
}

/** The bootstrap admin and demo agent as user-service is configured, read from the config server. */
async function adminCredentials(
  configUrl: string,
  authorization: string,
  env: Record<string, string>,
): Promise<Pick<Platform, 'adminEmail' | 'adminPassword' | 'agentLogin'>> {
  const fallback = {
    adminEmail: 'admin@sagamart.dev',
    adminPassword: 'Admin123!',
    agentLogin: undefined,
  };
  try {
    const res = await getLocal(`${configUrl}/user-service/default`, { headers: { authorization } });
    const body = JSON.parse(res.text) as { propertySources: Array<{ source: Record<string, unknown> }> };
    const find = (key: string) =>
      body.propertySources.map((p) => p.source[key]).find((v) => v !== undefined && v !== null);
    const text = (key: string) => {
      const value = find(key);
      return typeof value === 'string' ? value : undefined;
    };
    const agentEnabled = String(env.BOOTSTRAP_AGENT_ENABLED ?? find('bootstrap.agent.enabled')) === 'true';
    const agentEmail = process.env.BOOTSTRAP_AGENT_EMAIL ?? text('bootstrap.agent.email');
    const agentPassword = process.env.BOOTSTRAP_AGENT_PASSWORD ?? text('bootstrap.agent.password');
    return {
      adminEmail: process.env.BOOTSTRAP_ADMIN_EMAIL ?? text('bootstrap.admin.email') ?? fallback.adminEmail,
      adminPassword:
        process.env.BOOTSTRAP_ADMIN_PASSWORD ?? text('bootstrap.admin.password') ?? fallback.adminPassword,
      agentLogin:
        agentEnabled && agentEmail && agentPassword
          ? { email: agentEmail, password: agentPassword }
          : undefined,
    };
  } catch {
    return fallback;
  }
}
