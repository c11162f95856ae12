import type { Logger } from 'pino';
import { request } from 'undici';
import {
  type ConfigEnvironment,
  type ConfigTree,
  type ConfigValue,
  flattenConfig,
  isTree,
  mergeConfig,
  unflattenConfig,
} from './config-tree.ts';

/** Relaxed binding as in Spring: `rate-limit.default.capacity` ← RATELIMIT_DEFAULT_CAPACITY. */
export function envName(key: string): string {
  return key
    .replace(/\[(\d+)\]/g, '_$1')
    .replaceAll('-', '')
    .replaceAll('.', '_')
    .toUpperCase();
}

function coerce(raw: string, like: ConfigValue | undefined): ConfigValue {
  if (typeof like === 'number' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  if (typeof like === 'boolean') return raw === 'true' || raw === '1';
  return raw;
}

export function applyEnvironment(tree: ConfigTree, env: Record<string, string | undefined>): ConfigTree {
  const flat = flattenConfig(tree);
  let changed = false;
  for (const [key, value] of Object.entries(flat)) {
    const raw = env[envName(key)];
    if (raw !== undefined) {
      flat[key] = coerce(raw, value);
      changed = true;
    }
  }
  return changed ? unflattenConfig(flat) : tree;
}

export interface ConfigOptions {
  service: string;
  profile: string;
  /** Bundled defaults: used as the base, and alone when the config server cannot be reached. */
  defaults: ConfigTree;
  /** Config server base URL; undefined means local-only (the config server itself, tests). */
  serverUrl?: string | undefined;
  env: Record<string, string | undefined>;
  /** Key prefixes that may change while running; others need a restart. */
  refreshable: string[];
  /** Highest precedence, above the environment (tests, embedding). */
  overrides?: ConfigTree;
  log: Logger;
  timeoutMs?: number;
  /** `Authorization` for the config server (spring.cloud.config.username/password). */
  authorization?: string | undefined;
}

type Listener = (config: Config) => void;

/** Typed access to the merged configuration, with live refresh of the refreshable keys. */
export class Config {
  private tree: ConfigTree;
  private readonly listeners: Array<{ prefix: string; fn: Listener }> = [];
  /** Where the last load came from: the config server, or the bundled defaults. */
  source: 'config-server' | 'defaults' = 'defaults';
  /** The refresh under way, if any: the next one waits for it. */
  private refreshing: Promise<unknown> = Promise.resolve();
  /** The refresh waiting for its turn, if any: every refresh asked meanwhile is this one. */
  private queuedRefresh: { run: Promise<string[]>; retried: boolean } | undefined;

  private constructor(
    private readonly options: ConfigOptions,
    tree: ConfigTree,
  ) {
    this.tree = tree;
  }

  static async load(options: ConfigOptions): Promise<Config> {
    const config = new Config(options, {});
    config.tree = config.compose({});
    const remote = await config.fetchRemote(true);
    if (remote) config.tree = config.compose(remote);
    return config;
  }

  get<T extends ConfigValue = ConfigValue>(path: string): T | undefined {
    let node: ConfigValue | undefined = this.tree;
    for (const part of path.split('.')) {
      if (!isTree(node)) return undefined;
      node = node[part];
    }
    return node as T | undefined;
  }

  string(path: string, fallback?: string): string {
    const v = this.get(path);
    if (v === undefined || v === null || v === '') {
      if (fallback !== undefined) return fallback;
      throw new Error(`Missing config ${path}`);
    }
    return String(v);
  }

  optionalString(path: string): string | undefined {
    const v = this.get(path);
    return v === undefined || v === null || v === '' ? undefined : String(v);
  }

  number(path: string, fallback?: number): number {
    const v = this.get(path);
    if (v === undefined || v === null || v === '') {
      if (fallback !== undefined) return fallback;
      throw new Error(`Missing config ${path}`);
    }
    const n = Number(v);
    if (Number.isNaN(n)) throw new Error(`Config ${path} is not a number: ${String(v)}`);
    return n;
  }

  boolean(path: string, fallback = false): boolean {
    const v = this.get(path);
    return v === undefined || v === null ? fallback : v === true || v === 'true';
  }

  snapshot(): ConfigTree {
    return structuredClone(this.tree);
  }

  /** Calls fn whenever a refresh changes a key under prefix. */
  onChange(prefix: string, fn: Listener): () => void {
    const entry = { prefix, fn };
    this.listeners.push(entry);
    return () => this.listeners.splice(this.listeners.indexOf(entry), 1);
  }

  /**
   * Re-reads the config server; applies changed refreshable keys and returns them. Refreshes run one
   * at a time in the order asked, so an older read never lands over a newer one; one asked while
   * another waits for its turn is that one (its read comes after both asks), so a burst of asks
   * reads the server twice at most. A server that cannot be read keeps the current config, or with
   * `throwIfUnreachable` throws (unlogged), for a caller that retries and says so.
   */
  refresh(options: { throwIfUnreachable?: boolean } = {}): Promise<string[]> {
    const retried = options.throwIfUnreachable === true;
    let queued = this.queuedRefresh;
    if (!queued) {
      const entry = { run: Promise.resolve<string[]>([]), retried };
      entry.run = this.refreshing.then(() => {
        // Started: an ask from now on needs a read after this one.
        if (this.queuedRefresh === entry) this.queuedRefresh = undefined;
        return this.refreshOnce(entry.retried);
      });
      this.refreshing = entry.run.catch(() => undefined);
      this.queuedRefresh = queued = entry;
    }
    queued.retried ||= retried;
    const shared = queued;
    if (retried) return shared.run;
    // Shared with a caller that retries: an unreachable server keeps the current config, as alone.
    return shared.run.catch((error: unknown) => {
      if (shared.retried) return [];
      throw error;
    });
  }

  private async refreshOnce(throwIfUnreachable: boolean): Promise<string[]> {
    const remote = await this.fetchRemote(false, throwIfUnreachable);
    if (!remote) return [];
    const next = flattenConfig(this.compose(remote));
    const current = flattenConfig(this.tree);
    const changed = [...new Set([...Object.keys(next), ...Object.keys(current)])].filter(
      (k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]),
    );
    const refreshable = (k: string) =>
      this.options.refreshable.some((p) => k === p || k.startsWith(`${p}.`) || k.startsWith(`${p}[`));
    const applied = changed.filter(refreshable);
    const ignored = changed.filter((k) => !refreshable(k));
    if (ignored.length)
      this.options.log.warn({ keys: ignored }, 'config changed for keys that need a restart');
    if (applied.length === 0) return [];
    for (const k of applied) {
      if (k in next) current[k] = next[k] as ConfigValue;
      else delete current[k];
    }
    this.tree = unflattenConfig(current);
    this.options.log.info({ keys: applied }, 'config refreshed');
    // Each listener on its own: one that throws must not keep the new values from the others (a
    // retried refresh would find nothing changed and call none of them again).
    for (const { prefix, fn } of [...this.listeners]) {
      if (!applied.some((k) => k === prefix || k.startsWith(`${prefix}.`) || k.startsWith(`${prefix}[`)))
        continue;
      try {
        fn(this);
      } catch (error) {
        this.options.log.error({ err: error, prefix }, 'config change listener failed');
      }
    }
    return applied;
  }

  private compose(remote: ConfigTree): ConfigTree {
    const base = applyEnvironment(mergeConfig(this.options.defaults, remote), this.options.env);
    return this.options.overrides ? mergeConfig(base, this.options.overrides) : base;
  }

  private async fetchRemote(initial: boolean, throwIfUnreachable = false): Promise<ConfigTree | undefined> {
    const { serverUrl, service, profile, log } = this.options;
    if (!serverUrl) return undefined;
    const url = `${serverUrl.replace(/\/$/, '')}/${encodeURIComponent(service)}/${encodeURIComponent(profile)}`;
    try {
      // undici's request, as every other client of the kit: Node's own fetch is a second copy of
      // undici that a service would load and compile at start for this one call.
      const res = await request(url, {
        headers: this.options.authorization ? { authorization: this.options.authorization } : {},
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3_000),
      });
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        throw new Error(`config server answered ${res.statusCode}`);
      }
      const environment = (await res.body.json()) as ConfigEnvironment;
      // propertySources come highest precedence first.
      let tree: ConfigTree = {};
      for (const source of [...environment.propertySources].reverse()) {
        tree = mergeConfig(tree, unflattenConfig(source.source));
      }
      this.source = 'config-server';
      return tree;
    } catch (error) {
      // The caller retries, and says so.
      if (throwIfUnreachable) throw error;
      if (initial) {
        log.warn({ url, err: (error as Error).message }, 'config server unreachable; using bundled defaults');
      } else {
        log.warn({ url, err: (error as Error).message }, 'config refresh failed; keeping current config');
      }
      return undefined;
    }
  }
}
