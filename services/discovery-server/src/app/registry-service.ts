import { randomUUID } from 'node:crypto';
import { notFound, type ServiceContext } from '@sagamart/kit';
import { Counter, Gauge } from 'prom-client';
import { type Instance, type InstanceStatus, type Registration, Registry } from '../domain/registry.ts';

export type RegisterInput = Omit<Registration, 'leaseDurationMs'> & { leaseDurationMs?: number | undefined };

type Context = Pick<ServiceContext, 'log' | 'config' | 'metrics'>;

/**
 * The registry's use cases: the in-memory registry plus what the outside sees of it — logs,
 * metrics, not-found problems — and the sweep that evicts instances whose lease ran out.
 */
export class RegistryService {
  readonly registry: Registry;
  private timer: NodeJS.Timeout | undefined;
  private stopWatching: (() => void) | undefined;
  private readonly evictions: Counter<'app'>;

  constructor(
    private readonly ctx: Context,
    readonly clock: () => number = Date.now,
  ) {
    this.registry = new Registry(clock, () => ctx.config.number('registry.deltaRetentionMs'));
    const registry = this.registry;
    new Gauge({
      name: 'registry_instances',
      help: 'Registered instances per app and status',
      labelNames: ['app', 'status'],
      registers: [ctx.metrics.registry],
      collect() {
        // Rebuilt on every scrape so apps that left do not linger as stale series.
        this.reset();
        for (const { app, status, count } of registry.counts()) this.set({ app, status }, count);
      },
    });
    this.evictions = new Counter({
      name: 'registry_evictions_total',
      help: 'Instances removed because their lease expired',
      labelNames: ['app'],
      registers: [ctx.metrics.registry],
    });
  }

  /** Tells this server's registries apart: a restarted server counts its changes from 0 again. */
  private readonly boot = randomUUID().slice(0, 8);

  /**
   * Changes whenever the registry does (sent with heartbeats and reads, `x-registry-version`):
   * clients read the whole registry again only when it differs from the one they hold.
   */
  version(): string {
    return `${this.boot}.${this.registry.revision}`;
  }

  get defaultLeaseMs(): number {
    return this.ctx.config.number('registry.defaultLeaseMs');
  }

  get evictionIntervalMs(): number {
    return this.ctx.config.number('registry.evictionIntervalMs');
  }

  register(input: RegisterInput): Instance {
    const { instance, replaced } = this.registry.register({
      ...input,
      leaseDurationMs: input.leaseDurationMs ?? this.defaultLeaseMs,
    });
    this.ctx.log.info(
      {
        app: instance.app,
        instanceId: instance.instanceId,
        url: instance.url,
        status: instance.status,
        leaseMs: instance.leaseDurationMs,
      },
      replaced ? 'instance re-registered' : 'instance registered',
    );
    return instance;
  }

  renew(app: string, instanceId: string): Instance {
    return this.registry.renew(app, instanceId) ?? unknownInstance(app, instanceId);
  }

  setStatus(app: string, instanceId: string, status: InstanceStatus): Instance {
    const before = this.registry.get(app, instanceId)?.status;
    const instance = this.registry.setStatus(app, instanceId, status) ?? unknownInstance(app, instanceId);
    if (before !== status)
      this.ctx.log.info(
        { app: instance.app, instanceId, from: before, to: status },
        'instance status changed',
      );
    return instance;
  }

  cancel(app: string, instanceId: string): Instance {
    const instance = this.registry.cancel(app, instanceId) ?? unknownInstance(app, instanceId);
    this.ctx.log.info({ app: instance.app, instanceId }, 'instance deregistered');
    return instance;
  }

  get(app: string, instanceId: string): Instance {
    return this.registry.get(app, instanceId) ?? unknownInstance(app, instanceId);
  }

  /** Removes instances whose lease expired; one sweep of the eviction timer. */
  evictExpired(): Instance[] {
    const now = this.clock();
    const evicted = this.registry.evict(now);
    for (const instance of evicted) {
      this.evictions.inc({ app: instance.app });
      this.ctx.log.warn(
        {
          app: instance.app,
          instanceId: instance.instanceId,
          url: instance.url,
          leaseMs: instance.leaseDurationMs,
          silentForMs: now - instance.lastHeartbeatAt,
        },
        'instance evicted: lease expired',
      );
    }
    return evicted;
  }

  /** Starts the eviction sweep; a config refresh of registry.evictionIntervalMs reschedules it. */
  start(): void {
    this.schedule();
    this.stopWatching ??= this.ctx.config.onChange('registry', () => this.schedule());
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  private schedule(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.evictExpired(), this.evictionIntervalMs);
    this.timer.unref();
  }
}

function unknownInstance(app: string, instanceId: string): never {
  throw notFound(`No instance ${instanceId} of ${app} is registered`);
}
