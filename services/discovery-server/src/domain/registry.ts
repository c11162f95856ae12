/**
 * The registry itself, as Eureka keeps it: instances by app, each with a lease that heartbeats
 * renew and that expires when they stop. Pure and in memory; time comes from an injectable clock.
 */

export const INSTANCE_STATUSES = ['UP', 'DOWN', 'OUT_OF_SERVICE', 'STARTING'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

/** Extra facts a Eureka client sends about itself; the Eureka API echoes them back. */
export interface InstanceDetails {
  hostName?: string;
  ipAddr?: string;
  vipAddress?: string;
  secureVipAddress?: string;
  homePageUrl?: string;
  statusPageUrl?: string;
  healthCheckUrl?: string;
  renewalIntervalMs?: number;
}

export interface Registration {
  app: string;
  instanceId: string;
  url: string;
  status?: InstanceStatus;
  metadata?: Record<string, string>;
  leaseDurationMs: number;
  details?: InstanceDetails;
}

export interface Instance {
  /** Lower-case app name: apps are looked up case-insensitively, as in Eureka. */
  readonly app: string;
  readonly instanceId: string;
  readonly url: string;
  readonly status: InstanceStatus;
  readonly metadata: Readonly<Record<string, string>>;
  readonly leaseDurationMs: number;
  /** Epoch milliseconds. */
  readonly registeredAt: number;
  readonly lastHeartbeatAt: number;
  readonly details: Readonly<InstanceDetails>;
}

export interface Application {
  name: string;
  instances: Instance[];
}

export const appKey = (app: string) => app.toLowerCase();

/** One entry of Eureka's recently-changed queue, which `GET /eureka/apps/delta` serves. */
export interface RegistryChange {
  action: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The instance as it was after the change (before it, for DELETED). */
  instance: Instance;
  at: number;
}

export class Registry {
  private readonly apps = new Map<string, Map<string, Instance>>();
  private changes: RegistryChange[] = [];
  private changeCount = 0;

  /** `changeRetentionMs`: how long a change stays in the delta (Eureka keeps 3 minutes). */
  constructor(
    private readonly clock: () => number = Date.now,
    private readonly changeRetentionMs: () => number = () => 180_000,
  ) {}

  /** Counts every change to what clients see (an instance added, replaced, changed or removed). */
  get revision(): number {
    return this.changeCount;
  }

  /** Changes within the retention window, oldest first. */
  recentChanges(): RegistryChange[] {
    this.forgetOldChanges();
    return [...this.changes];
  }

  /** Adds an instance, or replaces the one with the same id (a restarted client registers again). */
  register(registration: Registration): { instance: Instance; replaced: boolean } {
    const app = appKey(registration.app);
    const now = this.clock();
    const instance: Instance = {
      app,
      instanceId: registration.instanceId,
      url: registration.url,
      status: registration.status ?? 'UP',
      metadata: { ...registration.metadata },
      leaseDurationMs: registration.leaseDurationMs,
      registeredAt: now,
      lastHeartbeatAt: now,
      details: { ...registration.details },
    };
    const instances = this.apps.get(app) ?? new Map<string, Instance>();
    this.apps.set(app, instances);
    const previous = instances.get(instance.instanceId);
    instances.set(instance.instanceId, instance);
    // Clients that match instances by address (eureka-js-client) must drop the old one themselves.
    if (previous && previous.url !== instance.url) this.recordChange('DELETED', previous);
    this.recordChange('ADDED', instance);
    return { instance, replaced: previous !== undefined };
  }

  /** A heartbeat: renews the lease. Undefined when the instance is unknown (the client registers again). */
  renew(app: string, instanceId: string): Instance | undefined {
    return this.update(app, instanceId, { lastHeartbeatAt: this.clock() });
  }

  setStatus(app: string, instanceId: string, status: InstanceStatus): Instance | undefined {
    const before = this.get(app, instanceId)?.status;
    const instance = this.update(app, instanceId, { status });
    if (instance && before !== status) this.recordChange('MODIFIED', instance);
    return instance;
  }

  /** Removes an instance; returns it, or undefined when it was not registered. */
  cancel(app: string, instanceId: string): Instance | undefined {
    const instances = this.apps.get(appKey(app));
    const instance = instances?.get(instanceId);
    if (!instances || !instance) return undefined;
    instances.delete(instanceId);
    if (instances.size === 0) this.apps.delete(appKey(app));
    this.recordChange('DELETED', instance);
    return instance;
  }

  /** Removes every instance whose last heartbeat is older than its lease; returns them. */
  evict(now: number = this.clock()): Instance[] {
    const evicted: Instance[] = [];
    for (const instances of this.apps.values()) {
      for (const instance of instances.values()) {
        if (isExpired(instance, now)) evicted.push(instance);
      }
    }
    for (const instance of evicted) this.cancel(instance.app, instance.instanceId);
    return evicted;
  }

  get(app: string, instanceId: string): Instance | undefined {
    return this.apps.get(appKey(app))?.get(instanceId);
  }

  /** An instance by id alone (Eureka's /instances/{id}). */
  findInstance(instanceId: string): Instance | undefined {
    for (const instances of this.apps.values()) {
      const instance = instances.get(instanceId);
      if (instance) return instance;
    }
    return undefined;
  }

  application(app: string): Application | undefined {
    const key = appKey(app);
    const instances = this.apps.get(key);
    return instances ? { name: key, instances: sortedInstances(instances) } : undefined;
  }

  /** Every app, by name, with its instances by id: a stable order keeps clients' round robin fair. */
  applications(): Application[] {
    return [...this.apps.keys()]
      .sort()
      .map((name) => ({ name, instances: sortedInstances(this.apps.get(name)!) }));
  }

  /** Instance counts per app and status (for metrics). */
  counts(): Array<{ app: string; status: InstanceStatus; count: number }> {
    const out: Array<{ app: string; status: InstanceStatus; count: number }> = [];
    for (const { name, instances } of this.applications()) {
      for (const status of INSTANCE_STATUSES) {
        const count = instances.filter((i) => i.status === status).length;
        if (count > 0) out.push({ app: name, status, count });
      }
    }
    return out;
  }

  get size(): number {
    let n = 0;
    for (const instances of this.apps.values()) n += instances.size;
    return n;
  }

  private recordChange(action: RegistryChange['action'], instance: Instance): void {
    this.changeCount += 1;
    this.changes.push({ action, instance, at: this.clock() });
    this.forgetOldChanges();
  }

  private forgetOldChanges(): void {
    const oldest = this.clock() - this.changeRetentionMs();
    const keep = this.changes.findIndex((c) => c.at >= oldest);
    if (keep !== 0) this.changes = keep === -1 ? [] : this.changes.slice(keep);
  }

  private update(
    app: string,
    instanceId: string,
    change: Partial<Pick<Instance, 'status' | 'lastHeartbeatAt'>>,
  ) {
    const instances = this.apps.get(appKey(app));
    const current = instances?.get(instanceId);
    if (!instances || !current) return undefined;
    const next: Instance = { ...current, ...change };
    instances.set(instanceId, next);
    return next;
  }
}

export function isExpired(instance: Instance, now: number): boolean {
  return now - instance.lastHeartbeatAt > instance.leaseDurationMs;
}

function sortedInstances(instances: Map<string, Instance>): Instance[] {
  return [...instances.values()].sort((a, b) =>
    a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0,
  );
}
