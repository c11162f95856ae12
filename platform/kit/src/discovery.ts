import type { Logger } from 'pino';
import { Agent, request } from 'undici';

export type InstanceStatus = 'UP' | 'DOWN' | 'OUT_OF_SERVICE' | 'STARTING';

export interface ServiceInstance {
  app: string;
  instanceId: string;
  url: string;
  status: InstanceStatus;
  metadata: Record<string, string>;
  registeredAt?: string;
  lastHeartbeatAt?: string;
}

export interface Registration {
  app: string;
  instanceId: string;
  url: string;
  metadata?: Record<string, string>;
}

/** How a service finds others (and is found). */
export interface Discovery {
  register(self: Registration): Promise<void>;
  setStatus(status: InstanceStatus): Promise<void>;
  deregister(): Promise<void>;
  /** Every known app with its instances (any status). */
  applications(): Promise<Map<string, ServiceInstance[]>>;
  /** Picks the next UP instance of an app, round robin; refetches once when none is cached. */
  choose(app: string): Promise<ServiceInstance | undefined>;
  close(): Promise<void>;
}

class RoundRobin {
  private readonly counters = new Map<string, number>();
  pick(app: string, instances: ServiceInstance[]): ServiceInstance | undefined {
    if (instances.length === 0) return undefined;
    const n = this.counters.get(app) ?? 0;
    this.counters.set(app, n + 1);
    return instances[n % instances.length];
  }
}

export interface RegistryDiscoveryOptions {
  url: string;
  log: Logger;
  heartbeatMs?: number;
  leaseMs?: number;
  fetchMs?: number;
  /** `Authorization` for the registry (the platform's Basic credentials). */
  authorization?: string | undefined;
}

/**
 * The registry's version, sent with every heartbeat answer and registry read: it changes whenever an
 * instance is added, changed or removed, so a client whose heartbeat answer names the version it holds
 * knows its copy is current without reading the registry again. It reads `<boot>.<revision>`: the boot
 * part changes when the registry restarts (with an empty memory).
 */
export const REGISTRY_VERSION_HEADER = 'x-registry-version';

/** The boot part of a registry version (undefined for a registry that sends none). */
const registryBoot = (version: string | undefined) => version?.split('.')[0];

/** The first wait before a failed registration is tried again (then doubled, up to the heartbeat). */
const REGISTRATION_RETRY_MS = 1_000;

/**
 * Connections to the registry, kept open between heartbeats. fetch's dispatcher closes an idle
 * connection after 4 s, so every heartbeat opened a new one (and the registry accepted it).
 */
const registryAgent = new Agent({ keepAliveTimeout: 30_000, connections: 4 });

/** The registry's answer to one request. */
interface RegistryAnswer {
  status: number;
  version: string | undefined;
  body: unknown;
}

/**
 * Eureka-style client: registers, heartbeats (re-registering after eviction) and caches the registry.
 * The copy is read again when a heartbeat answer says the registry changed, or when nothing has
 * confirmed it for fetchMs (no heartbeat yet, or a registry that sends no version): at idle a service
 * sends one request per heartbeat, not two.
 */
export class RegistryDiscovery implements Discovery {
  private cache = new Map<string, ServiceInstance[]>();
  private lastFetch = 0;
  /** The registry version the cache holds, and when the registry last confirmed it. */
  private cacheVersion: string | undefined;
  private confirmedAt = 0;
  /** A heartbeat answer confirmed the cache since the fetch timer last ran. */
  private confirmedByHeartbeat = false;
  private self: Registration | undefined;
  private status: InstanceStatus = 'UP';
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private fetchTimer: NodeJS.Timeout | undefined;
  private registrationRetry: NodeJS.Timeout | undefined;
  /** What the registry listed before it restarted, still chosen until `until` (withCarried). */
  private carried: { instances: Map<string, ServiceInstance[]>; until: number } | undefined;
  private readonly rr = new RoundRobin();
  private readonly heartbeatMs: number;
  private readonly leaseMs: number;
  private readonly fetchMs: number;
  private fetching: Promise<void> | undefined;

  constructor(private readonly options: RegistryDiscoveryOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.leaseMs = options.leaseMs ?? 90_000;
    this.fetchMs = options.fetchMs ?? 30_000;
    this.fetchTimer = setInterval(() => {
      if (this.confirmedByHeartbeat) this.confirmedByHeartbeat = false;
      else void this.refresh().catch(() => {});
    }, this.fetchMs);
    this.fetchTimer.unref();
  }

  private endpoint(path: string) {
    return `${this.options.url.replace(/\/$/, '')}/api/registry${path}`;
  }

  /** One request to the registry, at most 2 s; the answer's JSON body read only when `read`. */
  private async call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: { json?: unknown; read?: boolean } = {},
  ): Promise<RegistryAnswer> {
    const answer = await request(this.endpoint(path), {
      method,
      dispatcher: registryAgent,
      headers: {
        ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.options.authorization ? { authorization: this.options.authorization } : {}),
      },
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      signal: AbortSignal.timeout(2_000),
    });
    const version = answer.headers[REGISTRY_VERSION_HEADER];
    const ok = answer.statusCode >= 200 && answer.statusCode < 300;
    const body = options.read && ok ? await answer.body.json() : await answer.body.dump();
    return {
      status: answer.statusCode,
      version: typeof version === 'string' ? version : undefined,
      body: options.read && ok ? body : undefined,
    };
  }

  private appPath(app: string, instanceId?: string): string {
    return `/apps/${encodeURIComponent(app)}${instanceId === undefined ? '' : `/${encodeURIComponent(instanceId)}`}`;
  }

  async register(self: Registration): Promise<void> {
    this.self = self;
    await this.sendRegistration().catch((error) => {
      this.options.log.warn({ err: (error as Error).message }, 'discovery unreachable; will keep trying');
      this.retryRegistration(REGISTRATION_RETRY_MS);
    });
    this.heartbeatTimer ??= setInterval(() => void this.heartbeat(), this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /**
   * A registration that failed (the registry starting after this service, or down) is tried again
   * after 1 s, doubling up to the heartbeat interval, rather than only at the next heartbeat: with
   * Eureka's 30 s heartbeat a service would otherwise stay unlisted for up to 30 s.
   */
  private retryRegistration(delayMs: number): void {
    clearTimeout(this.registrationRetry);
    this.registrationRetry = setTimeout(() => {
      if (!this.self) return;
      this.sendRegistration().catch(() => this.retryRegistration(Math.min(delayMs * 2, this.heartbeatMs)));
    }, delayMs);
    this.registrationRetry.unref();
  }

  private async sendRegistration(): Promise<void> {
    if (!this.self) return;
    const { status } = await this.call('POST', this.appPath(this.self.app), {
      json: {
        instanceId: this.self.instanceId,
        url: this.self.url,
        status: this.status,
        metadata: this.self.metadata ?? {},
        leaseDurationMs: this.leaseMs,
      },
    });
    if (status < 200 || status >= 300) throw new Error(`register answered ${status}`);
    clearTimeout(this.registrationRetry); // registered, by a retry or by a heartbeat's re-registration
  }

  private async heartbeat(): Promise<void> {
    if (!this.self) return;
    try {
      const { status, version } = await this.call(
        'PUT',
        `${this.appPath(this.self.app, this.self.instanceId)}/heartbeat`,
      );
      // 404: the registry evicted us or restarted; register again as Eureka clients do.
      if (status === 404) await this.sendRegistration();
      if (status < 200 || status >= 300 || !version) return;
      if (version === this.cacheVersion) {
        this.confirmedAt = Date.now();
        this.confirmedByHeartbeat = true;
      } else await this.refresh().catch(() => {});
    } catch (error) {
      this.options.log.debug({ err: (error as Error).message }, 'heartbeat failed');
    }
  }

  async setStatus(status: InstanceStatus): Promise<void> {
    this.status = status;
    if (!this.self) return;
    await this.call('PUT', `${this.appPath(this.self.app, this.self.instanceId)}/status`, {
      json: { status },
    }).catch(() => {});
  }

  async deregister(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.registrationRetry);
    this.heartbeatTimer = undefined;
    const self = this.self;
    this.self = undefined;
    if (!self) return;
    await this.call('DELETE', this.appPath(self.app, self.instanceId)).catch(() => {});
  }

  async refresh(): Promise<void> {
    this.fetching ??= (async () => {
      try {
        const answer = await this.call('GET', '/apps', { read: true });
        if (!answer.body) return;
        const body = answer.body as { applications: Array<{ name: string; instances: ServiceInstance[] }> };
        const listed = new Map(body.applications.map((a) => [a.name, a.instances]));
        const boot = registryBoot(answer.version);
        if (boot && this.cacheVersion && boot !== registryBoot(this.cacheVersion))
          this.carried = { instances: this.cache, until: Date.now() + this.leaseMs };
        this.cache = this.withCarried(listed);
        this.lastFetch = Date.now();
        this.cacheVersion = answer.version;
        this.confirmedAt = this.lastFetch;
      } finally {
        this.fetching = undefined;
      }
    })();
    return this.fetching;
  }

  /**
   * A restarted registry knows only the instances that registered since: the others do at their next
   * heartbeat, up to 30 s later. Until one lease has passed, an instance the registry listed before
   * its restart and has not listed since is still chosen (one that is really gone refuses the
   * connection, and idempotent calls retry on the next instance).
   */
  private withCarried(listed: Map<string, ServiceInstance[]>): Map<string, ServiceInstance[]> {
    if (!this.carried || Date.now() > this.carried.until) {
      this.carried = undefined;
      return listed;
    }
    const merged = new Map(listed);
    for (const [app, before] of this.carried.instances) {
      const now = merged.get(app) ?? [];
      const missing = before.filter((old) => !now.some((i) => i.instanceId === old.instanceId));
      if (missing.length) merged.set(app, [...now, ...missing]);
    }
    return merged;
  }

  async applications(): Promise<Map<string, ServiceInstance[]>> {
    if (!this.fresh()) await this.refresh().catch(() => {});
    return this.cache;
  }

  /** Whether the registry confirmed the cache within fetchMs (and a second, for a heartbeat on its way). */
  private fresh(): boolean {
    return Date.now() - this.confirmedAt <= this.fetchMs + (this.cacheVersion ? 1_000 : 0);
  }

  async choose(app: string): Promise<ServiceInstance | undefined> {
    let up = (this.cache.get(app) ?? []).filter((i) => i.status === 'UP');
    // A cache miss may be a service that just (re)started: look again, at most every 500 ms.
    if (up.length === 0 && Date.now() - this.lastFetch > 500) {
      await this.refresh().catch(() => {});
      up = (this.cache.get(app) ?? []).filter((i) => i.status === 'UP');
    }
    return this.rr.pick(app, up);
  }

  async close(): Promise<void> {
    clearInterval(this.fetchTimer);
    await this.deregister();
  }
}

/**
 * No registry: instances come from configuration (`discovery.static.<app>: url[,url]`), or from a DNS
 * name template such as `http://{app}:8080` (Kubernetes services).
 */
export class StaticDiscovery implements Discovery {
  private readonly rr = new RoundRobin();
  constructor(
    private readonly urls: Record<string, string[]>,
    private readonly template?: string,
  ) {}

  private instancesOf(app: string): ServiceInstance[] {
    const urls = this.urls[app] ?? (this.template ? [this.template.replaceAll('{app}', app)] : []);
    return urls.map((url, i) => ({ app, instanceId: `${app}-${i}`, url, status: 'UP', metadata: {} }));
  }

  async register(): Promise<void> {}
  async setStatus(): Promise<void> {}
  async deregister(): Promise<void> {}
  async applications(): Promise<Map<string, ServiceInstance[]>> {
    return new Map(Object.keys(this.urls).map((app) => [app, this.instancesOf(app)]));
  }
  async choose(app: string): Promise<ServiceInstance | undefined> {
    return this.rr.pick(app, this.instancesOf(app));
  }
  async close(): Promise<void> {}
}
