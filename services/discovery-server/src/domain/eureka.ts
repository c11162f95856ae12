/**
 * Netflix Eureka's wire shapes, mapped to and from the registry, so Eureka clients (Spring Cloud
 * Netflix, eureka-js-client) can register here and see everyone else.
 */
import {
  type Application,
  appKey,
  type Instance,
  type InstanceStatus,
  type Registration,
  type RegistryChange,
} from './registry.ts';

export type EurekaStatus = InstanceStatus | 'UNKNOWN';

/** Eureka writes ports as `{"$": 8082, "@enabled": "true"}`; some clients send a plain number. */
export type EurekaPort = number | string | { $?: number | string; '@enabled'?: boolean | string };

/** The `instance` object of a Eureka registration, as far as the registry uses it. */
export interface EurekaInstanceInput {
  instanceId?: string;
  hostName?: string;
  app?: string;
  ipAddr?: string;
  status?: EurekaStatus;
  port?: EurekaPort;
  securePort?: EurekaPort;
  homePageUrl?: string;
  statusPageUrl?: string;
  healthCheckUrl?: string;
  vipAddress?: string;
  secureVipAddress?: string;
  leaseInfo?: { durationInSecs?: number; renewalIntervalInSecs?: number };
  metadata?: Record<string, unknown>;
}

export interface FieldError {
  field: string;
  message: string;
}

export type Parsed = { ok: true; registration: Registration } | { ok: false; errors: FieldError[] };

/** Turns a Eureka registration into ours; `url` is where load balancers would call it. */
export function fromEurekaInstance(app: string, input: EurekaInstanceInput, defaultLeaseMs: number): Parsed {
  const errors: FieldError[] = [];
  if (input.app && appKey(input.app) !== appKey(app)) {
    errors.push({ field: 'instance.app', message: `must match the path's app ${app}` });
  }
  const host = input.hostName || input.ipAddr;
  const httpPort = portNumber(input.port);
  const securePort = portNumber(input.securePort);
  const secureEnabled = portEnabled(input.securePort, false) && securePort !== undefined;
  const httpEnabled = portEnabled(input.port, true) && httpPort !== undefined;

  let url: string | undefined;
  if (host && (secureEnabled || httpEnabled)) {
    const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    url = secureEnabled ? `https://${hostPart}:${securePort}` : `http://${hostPart}:${httpPort}`;
  } else if (input.homePageUrl && /^https?:\/\//i.test(input.homePageUrl)) {
    url = input.homePageUrl.replace(/\/+$/, '');
  }
  if (!url || !URL.canParse(url)) {
    errors.push({
      field: 'instance',
      message: 'needs hostName (or ipAddr) with an enabled port, or an absolute homePageUrl',
    });
  }

  // Eureka's own fallback: an instance without an id is known by its host.
  const instanceId = input.instanceId || host;
  if (!instanceId) errors.push({ field: 'instance.instanceId', message: 'is required (or hostName)' });
  if (errors.length > 0 || !url || !instanceId) return { ok: false, errors };

  const details = {
    hostName: input.hostName,
    ipAddr: input.ipAddr,
    vipAddress: input.vipAddress,
    secureVipAddress: input.secureVipAddress,
    homePageUrl: input.homePageUrl,
    statusPageUrl: input.statusPageUrl,
    healthCheckUrl: input.healthCheckUrl,
    renewalIntervalMs: input.leaseInfo?.renewalIntervalInSecs
      ? input.leaseInfo.renewalIntervalInSecs * 1000
      : undefined,
  };
  return {
    ok: true,
    registration: {
      app,
      instanceId,
      url: new URL(url).href.replace(/\/$/, ''),
      status: fromEurekaStatus(input.status ?? 'UP'),
      metadata: stringMetadata(input.metadata),
      leaseDurationMs: input.leaseInfo?.durationInSecs
        ? input.leaseInfo.durationInSecs * 1000
        : defaultLeaseMs,
      details: Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined && v !== '')),
    },
  };
}

/** UNKNOWN is not routable; STARTING is our nearest status that keeps an instance out of load balancing. */
export function fromEurekaStatus(status: EurekaStatus): InstanceStatus {
  return status === 'UNKNOWN' ? 'STARTING' : status;
}

function portNumber(port: EurekaPort | undefined): number | undefined {
  const raw = typeof port === 'object' ? port.$ : port;
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return n !== undefined && Number.isInteger(n) && n > 0 && n < 65_536 ? n : undefined;
}

function portEnabled(port: EurekaPort | undefined, fallback: boolean): boolean {
  if (port === undefined) return false;
  const enabled = typeof port === 'object' ? port['@enabled'] : undefined;
  if (enabled === undefined) return fallback;
  return enabled === true || enabled === 'true';
}

/** Java clients send `{"@class": "java.util.Collections$EmptyMap"}` for no metadata; keep only plain values. */
function stringMetadata(metadata: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (key.startsWith('@')) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[key] = String(value);
  }
  return out;
}

const DATA_CENTER = { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' };

/** An instance as Eureka's REST API shows it (app names upper-case, ports with `$`/`@enabled`). */
export function toEurekaInstance(instance: Instance, actionType: RegistryChange['action'] = 'ADDED') {
  const url = new URL(instance.url);
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  const hostName = instance.details.hostName ?? url.hostname.replace(/^\[|\]$/g, '');
  const base = instance.url.replace(/\/$/, '');
  const durationInSecs = Math.max(1, Math.round(instance.leaseDurationMs / 1000));
  const renewalMs = instance.details.renewalIntervalMs ?? instance.leaseDurationMs / 3;
  return {
    instanceId: instance.instanceId,
    hostName,
    app: instance.app.toUpperCase(),
    ipAddr: instance.details.ipAddr ?? hostName,
    status: instance.status,
    overriddenStatus: 'UNKNOWN',
    port: { $: secure ? 80 : port, '@enabled': String(!secure) },
    securePort: { $: secure ? port : 443, '@enabled': String(secure) },
    countryId: 1,
    dataCenterInfo: DATA_CENTER,
    leaseInfo: {
      renewalIntervalInSecs: Math.max(1, Math.round(renewalMs / 1000)),
      durationInSecs,
      registrationTimestamp: instance.registeredAt,
      lastRenewalTimestamp: instance.lastHeartbeatAt,
      evictionTimestamp: 0,
      serviceUpTimestamp: instance.registeredAt,
    },
    metadata: { ...instance.metadata },
    homePageUrl: instance.details.homePageUrl ?? `${base}/`,
    statusPageUrl: instance.details.statusPageUrl ?? `${base}/health/live`,
    healthCheckUrl: instance.details.healthCheckUrl ?? `${base}/health/ready`,
    vipAddress: instance.details.vipAddress ?? instance.app,
    secureVipAddress: instance.details.secureVipAddress ?? instance.app,
    isCoordinatingDiscoveryServer: 'false',
    lastUpdatedTimestamp: String(instance.lastHeartbeatAt),
    lastDirtyTimestamp: String(instance.registeredAt),
    actionType,
  };
}

export type EurekaInstance = ReturnType<typeof toEurekaInstance>;

export function toEurekaApplication(app: Application) {
  return { name: app.name.toUpperCase(), instance: app.instances.map((i) => toEurekaInstance(i)) };
}

/** GET /eureka/apps. Clients compare apps__hashcode with their own copy to decide on a full fetch. */
export function toEurekaApplications(apps: Application[]) {
  return {
    applications: {
      versions__delta: '1',
      apps__hashcode: reconcileHashCode(apps),
      application: apps.map(toEurekaApplication),
    },
  };
}

/**
 * GET /eureka/apps/delta: the recent changes, in order, grouped by app, each instance with its
 * actionType; apps__hashcode is the whole registry's, so a client whose copy still differs after
 * applying them fetches everything.
 */
export function toEurekaDelta(apps: Application[], changes: RegistryChange[]) {
  const byApp = new Map<string, EurekaInstance[]>();
  for (const { action, instance } of changes) {
    const list = byApp.get(instance.app) ?? [];
    byApp.set(instance.app, list);
    list.push(toEurekaInstance(instance, action));
  }
  return {
    applications: {
      versions__delta: '1',
      apps__hashcode: reconcileHashCode(apps),
      application: [...byApp].map(([name, instance]) => ({ name: name.toUpperCase(), instance })),
    },
  };
}

/** Eureka's reconcile hash: instance counts by status, statuses in name order, e.g. `DOWN_1_UP_2_`. */
export function reconcileHashCode(apps: Application[]): string {
  const counts = new Map<string, number>();
  for (const app of apps)
    for (const i of app.instances) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
  return [...counts.keys()]
    .sort()
    .map((status) => `${status}_${counts.get(status)}_`)
    .join('');
}
