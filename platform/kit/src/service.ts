import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { topology as declaredTopology, type Topology } from '@sagamart/contracts';
import type { Kysely, Migration, Transaction } from 'kysely';
import pino, { type Logger } from 'pino';
import { Type } from 'typebox';
import { trackedTransaction } from './after-commit.ts';
import { Config } from './config.ts';
import { type ConfigTree, mergeConfig } from './config-tree.ts';
import {
  DeploymentCredentials,
  type DeploymentSecrets,
  generateDeploymentSecret,
  splitUrlCredentials,
} from './credentials.ts';
import {
  type Database,
  databaseUrl,
  ensureDatabase,
  isMissingDatabase,
  migrate,
  openDatabase,
  withStatementTimeout,
} from './db.ts';
import { type Discovery, RegistryDiscovery, StaticDiscovery } from './discovery.ts';
import { notFound } from './errors.ts';
import {
  createEventPublisher,
  DeadLetterStore,
  EventConsumer,
  type EventHandler,
  type MessagingTables,
  messagingMigrations,
  OutboxRelay,
  PostgresTransport,
  type PublishEvent,
  publishedIn,
  RabbitTransport,
  type Transport,
} from './events/index.ts';
import { DEFAULT_BUS_DATABASE } from './events/postgres-transport.ts';
import { retryUntilConnected } from './events/reconnect.ts';
import { messagingRetentionTasks } from './events/retention.ts';
import { createHttpApp, requireIdentity, type ServiceApp } from './http.ts';
import { createMetrics, type ServiceMetrics } from './metrics.ts';
import { PageQuery, PageSchema } from './page.ts';
import { assertProductionSecrets, type DeclaredSecret, isProductionMode } from './production.ts';
import { breakerOptions, CircuitBreakers, defaultBreakerOptions } from './resilience.ts';
import { RetentionJob, type RetentionTask } from './retention.ts';
import { isBreakerFailure, ServiceClient } from './service-client.ts';
import { sourceMappedStack } from './source-mapped-stack.ts';
import { isTransactionConflict } from './sql-text.ts';
import { createTracing, currentTraceId, type Tracing } from './tracing.ts';

export interface ServiceContext<DB = unknown> {
  readonly name: string;
  readonly instanceId: string;
  readonly config: Config;
  readonly log: Logger;
  /** The service's own database (throws for services without one). */
  readonly db: Kysely<DB & MessagingTables>;
  /** Adds an event to the outbox inside the given transaction. */
  readonly publish: PublishEvent;
  /**
   * Runs fn in a transaction; events published in it are relayed right after commit. A run that
   * PostgreSQL ends as a deadlock victim or a serialization failure is run once more, so fn does
   * its side effects outside the database after commit (`afterCommit`, or once it returns).
   */
  transaction<T>(fn: (trx: Transaction<DB & MessagingTables>) => Promise<T>): Promise<T>;
  /**
   * Runs fn on a connection of its own whose statements may each run up to `timeoutMs` instead of
   * `database.queryTimeoutMs` (ADR 0021): work that is long on purpose on a large data set. One
   * connection: its statements and transactions run one at a time.
   */
  withStatementTimeout<T>(
    timeoutMs: number,
    fn: (db: Kysely<DB & MessagingTables>) => Promise<T>,
  ): Promise<T>;
  /** A resilient client for another service, by name. */
  client(service: string): ServiceClient;
  readonly metrics: ServiceMetrics;
  readonly tracing: Tracing;
  readonly discovery: Discovery;
  readonly transport: Transport | undefined;
  readonly breakers: CircuitBreakers;
  /** Signs and verifies service tokens (the gateway signs the ones it forwards). */
  readonly credentials: DeploymentCredentials;
}

export interface ServiceDefinition<DB = unknown> {
  name: string;
  port: number;
  description?: string;
  /** Bundled defaults (used alone when the config server is down). */
  defaults?: ConfigTree;
  /** Config key prefixes that change live on refresh. */
  refreshable?: string[];
  /** Own database, with its migrations. */
  migrations?: Record<string, Migration>;
  handlers?: (ctx: ServiceContext<DB>) => EventHandler<DB>[];
  routes?: (app: ServiceApp, ctx: ServiceContext<DB>) => void | Promise<void>;
  /** Pruning of the service's own tables that only grow, run with the kit's (config `retention.*`). */
  retention?: (ctx: ServiceContext<DB>) => RetentionTask[];
  /** Extra readiness checks, by component name. */
  readiness?: (ctx: ServiceContext<DB>) => Record<string, () => Promise<boolean>>;
  onStart?: (ctx: ServiceContext<DB>) => void | Promise<void>;
  onStop?: (ctx: ServiceContext<DB>) => void | Promise<void>;
  /** 'local' reads no config server (the config server itself). */
  configSource?: 'remote' | 'local';
  /** false for the registry itself. */
  register?: boolean;
  /** Every route but /health/* and /metrics needs the platform's Basic credentials (the config and discovery servers). */
  basicAuth?: boolean;
  /** Log requests at info (the gateway). */
  accessLogLevel?: 'info' | 'debug';
  bodyLimit?: number;
  /** The reverse proxies in front whose X-Forwarded-For is believed (HttpOptions), read at start. */
  trustedProxies?: (config: Config) => string[];
  /**
   * Config keys holding secrets whose bundled default is a development value: in production mode
   * (NODE_ENV=production or a `prod` profile) the service refuses to start while one still has it.
   * `{ key, when }`: only while the boolean key `when` is on.
   */
  secrets?: readonly DeclaredSecret[];
}

export interface ServiceOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  env?: Record<string, string | undefined>;
  /** Highest-precedence config (tests, embedding). */
  config?: ConfigTree;
  /** A shared transport (one process hosting many services); not closed by the service. */
  transport?: Transport;
  discovery?: Discovery;
  topology?: Topology;
  instanceId?: string;
  log?: Logger;
}

export interface Service<DB = unknown> {
  readonly name: string;
  /** Base URL once started. */
  readonly url: string;
  readonly app: ServiceApp;
  readonly context: ServiceContext<DB>;
  start(): Promise<string>;
  stop(): Promise<void>;
}

export type ServiceFactory<DB = unknown> = ((options?: ServiceOptions) => Service<DB>) & {
  definition: ServiceDefinition<DB>;
};

/** Database name for a service: user-service → sagamart_user. */
export function defaultDatabaseName(service: string): string {
  return `sagamart_${service.replace(/-service$|-server$/, '').replaceAll('-', '_')}`;
}

function kitDefaults(def: ServiceDefinition<any>): ConfigTree {
  return {
    server: { host: '127.0.0.1', port: def.port, advertisedHost: '' },
    log: { level: 'info' },
    discovery: {
      url: 'http://127.0.0.1:8761',
      mode: 'registry',
      template: '',
      static: {},
      heartbeatMs: 30_000,
      leaseMs: 90_000,
      fetchMs: 30_000,
    },
    database: {
      url: '',
      name: defaultDatabaseName(def.name),
      poolSize: 8,
      preparedStatements: true,
      queryTimeoutMs: 60_000,
    },
    bus: { database: DEFAULT_BUS_DATABASE, pollMs: 1_000, listenedPollMs: 30_000, queryTimeoutMs: 30_000 },
    amqp: { url: '', prefix: '' },
    redis: { url: '' },
    events: {
      maxAttempts: 5,
      maxContendedAttempts: 40,
      baseDelayMs: 200,
      maxDelayMs: 30_000,
      concurrency: 8,
      // The outbox relay's wait for the transport to accept a batch (ADR 0022).
      confirmTimeoutMs: 30_000,
    },
    // Pruning of tables that only grow; the windows' reasoning is in events/retention.ts.
    retention: {
      intervalMs: 600_000,
      batchSize: 1_000,
      maxBatches: 20,
      inboxSeconds: 604_800,
      deadLetterSeconds: 2_592_000,
    },
    http: {
      client: { timeoutMs: 3_000, maxAttempts: 3, breaker: { ...defaultBreakerOptions } },
    },
    tracing: { zipkin: { url: '' }, sampleRatio: 1 },
    // Prometheus's bearer credential for /metrics, besides the platform's Basic credentials; empty: none.
    metrics: { scrapeToken: '' },
  };
}

/** Declares a service; the returned factory builds instances that run alone or side by side in one process. */
export function defineService<DB = unknown>(def: ServiceDefinition<DB>): ServiceFactory<DB> {
  const factory = (options: ServiceOptions = {}) => new ServiceRuntime<DB>(def, options);
  return Object.assign(factory, { definition: def });
}

class ServiceRuntime<DB> implements Service<DB> {
  readonly name: string;
  private readonly env: Record<string, string | undefined>;
  private readonly instanceId: string;
  private log: Logger;
  private config!: Config;
  private database: Database<DB & MessagingTables> | undefined;
  private transport: Transport | undefined;
  private ownsTransport = false;
  private discovery!: Discovery;
  private ownsDiscovery = false;
  private relay: OutboxRelay | undefined;
  private consumer: EventConsumer<DB> | undefined;
  private retention: RetentionJob | undefined;
  private refreshSubscription: { close(): Promise<void> } | undefined;
  /** The config catch-up loop under way, if any; `again`: a loss came while it ran. */
  private configCatchUp: { again: boolean } | undefined;
  private tracing!: Tracing;
  private metrics!: ServiceMetrics;
  private credentials!: DeploymentCredentials;
  private ctx!: ServiceContext<DB>;
  private http: ServiceApp | undefined;
  private baseUrl = '';
  private ready = false;
  private started = false;

  constructor(
    private readonly def: ServiceDefinition<DB>,
    private readonly options: ServiceOptions,
  ) {
    this.name = def.name;
    this.env = options.env ?? process.env;
    this.instanceId = options.instanceId ?? `${def.name}:${hostname()}:${randomUUID().slice(0, 8)}`;
    this.log =
      options.log ??
      pino({
        name: def.name,
        level: this.env.LOG_LEVEL ?? 'info',
        mixin: () => {
          const traceId = currentTraceId();
          return traceId ? { traceId } : {};
        },
        serializers: { err: sourceMappedError },
      });
  }

  get url(): string {
    return this.baseUrl;
  }

  get app(): ServiceApp {
    if (!this.http) throw new Error(`${this.name} is not started`);
    return this.http;
  }

  get context(): ServiceContext<DB> {
    if (!this.ctx) throw new Error(`${this.name} is not started`);
    return this.ctx;
  }

  async start(): Promise<string> {
    if (this.started) return this.baseUrl;
    this.started = true;
    const { def, env, options } = this;
    const bootstrapServer = (options.config?.config as ConfigTree | undefined)?.server as
      | ConfigTree
      | undefined;
    const configServerLocation =
      def.configSource === 'local'
        ? undefined
        : ((bootstrapServer?.url as string | undefined) ??
            env.CONFIG_SERVER_URL ??
            'http://127.0.0.1:8888') ||
          undefined;
    this.credentials = new DeploymentCredentials(def.name, this.deploymentSecrets());
    // Credentials in the URL (`http://user:pass@host:8888`) win; else the deployment's own.
    const configServer = configServerLocation ? splitUrlCredentials(configServerLocation) : undefined;
    this.config = await Config.load({
      service: def.name,
      profile: env.SAGAMART_PROFILE ?? env.SPRING_PROFILES_ACTIVE ?? 'default',
      defaults: mergeConfig(kitDefaults(def), def.defaults ?? {}),
      overrides: {
        ...(options.config ?? {}),
        ...(options.port !== undefined
          ? { server: mergeConfig((options.config?.server as ConfigTree) ?? {}, { port: options.port }) }
          : {}),
      },
      serverUrl: configServer?.url,
      authorization: configServer?.authorization ?? this.credentials.basicAuthorization(),
      env,
      refreshable: [...(def.refreshable ?? []), 'retention'],
      log: this.log,
    });
    const config = this.config;
    this.log.level = config.string('log.level', 'info');
    if (isProductionMode(env))
      assertProductionSecrets({
        secrets: def.secrets ?? [],
        defaults: def.defaults,
        config,
        deploymentSecret: this.deploymentSecretGiven(),
      });

    this.metrics = createMetrics(def.name);
    this.tracing = createTracing({
      serviceName: def.name,
      zipkinUrl: config.optionalString('tracing.zipkin.url') ?? env.ZIPKIN_URL,
      sampleRatio: config.number('tracing.sampleRatio', 1),
      // trace-server admits spans from the platform's services only; a real Zipkin ignores the header.
      exportHeaders: () => this.credentials.headersFor('trace-server'),
    });
    const breakers = new CircuitBreakers(
      this.metrics,
      isBreakerFailure,
      breakerOptions(config, 'http.client.breaker'),
    );
    this.discovery = options.discovery ?? this.createDiscovery();
    this.ownsDiscovery = !options.discovery;

    try {
      await this.openDatabase();
      await this.openTransport();
      this.buildContext(breakers);
      await this.openMessaging();
      this.http = await this.buildHttp();
      const port = config.number('server.port');
      const host = config.string('server.host');
      await this.http.listen({ port, host });
      const address = this.http.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const advertised =
        config.optionalString('server.advertisedHost') ?? (host === '0.0.0.0' ? hostname() : host);
      this.baseUrl = `http://${advertised}:${actualPort}`;

      await this.consumer?.start();
      await this.relay?.start();
      this.retention?.start();
      await def.onStart?.(this.ctx);
      this.ready = true;
      if (def.register !== false) {
        await this.discovery.register({
          app: def.name,
          instanceId: this.instanceId,
          url: this.baseUrl,
          metadata: { transport: this.transport?.kind ?? 'none', configSource: config.source },
        });
      }
      this.log.info(
        { url: this.baseUrl, transport: this.transport?.kind ?? 'none', config: config.source },
        'started',
      );
      return this.baseUrl;
    } catch (error) {
      await this.stop().catch(() => {});
      throw error;
    }
  }

  /**
   * The deployment secret: test or embedding config, else SAGAMART_DEPLOYMENT_SECRET. Never from the
   * config server. Without one, a random secret: the service runs but trusts no one and nobody trusts it.
   */
  private deploymentSecrets(): DeploymentSecrets {
    const security = this.options.config?.security as ConfigTree | undefined;
    const current = this.deploymentSecretGiven();
    if (!current) {
      this.log.warn('SAGAMART_DEPLOYMENT_SECRET is not set: no other service can call this one, nor it them');
      return { current: generateDeploymentSecret() };
    }
    return {
      current,
      previous:
        (security?.previousDeploymentSecret as string | undefined) ||
        this.env.SAGAMART_DEPLOYMENT_SECRET_PREVIOUS,
    };
  }

  private deploymentSecretGiven(): string | undefined {
    const security = this.options.config?.security as ConfigTree | undefined;
    return (security?.deploymentSecret as string | undefined) || this.env.SAGAMART_DEPLOYMENT_SECRET;
  }

  private createDiscovery(): Discovery {
    const config = this.config;
    if (config.string('discovery.mode') === 'static') {
      const urls: Record<string, string[]> = {};
      const fromConfig = (config.get('discovery.static') ?? {}) as Record<string, string | string[]>;
      for (const [app, value] of Object.entries(fromConfig)) {
        urls[app] = Array.isArray(value) ? value : String(value).split(',');
      }
      // DISCOVERY_STATIC_USER_SERVICE=http://a,http://b
      for (const [key, value] of Object.entries(this.env)) {
        const match = /^DISCOVERY_STATIC_(.+)$/.exec(key);
        if (match && value) urls[match[1]!.toLowerCase().replaceAll('_', '-')] = value.split(',');
      }
      return new StaticDiscovery(urls, config.optionalString('discovery.template'));
    }
    const registry = splitUrlCredentials(config.string('discovery.url'));
    return new RegistryDiscovery({
      url: registry.url,
      authorization: registry.authorization ?? this.credentials.basicAuthorization(),
      log: this.log,
      heartbeatMs: config.number('discovery.heartbeatMs'),
      leaseMs: config.number('discovery.leaseMs'),
      fetchMs: config.number('discovery.fetchMs'),
    });
  }

  private async openDatabase(): Promise<void> {
    if (!this.def.migrations) return;
    const server = this.config.optionalString('database.url');
    if (!server) throw new Error(`${this.name} needs a database: set DATABASE_URL`);
    const name = this.config.string('database.name');
    this.database = openDatabase(databaseUrl(server, name), {
      max: this.config.number('database.poolSize'),
      preparedStatements: this.config.boolean('database.preparedStatements'),
      queryTimeoutMs: this.config.number('database.queryTimeoutMs'),
      onConnectionLost: (error) =>
        this.log.warn({ err: error }, 'database connection lost while in use; the pool replaces it'),
    });
    const db = this.database.db as Kysely<unknown>;
    const warnNewer = (table: string) => (names: string[]) =>
      this.log.warn(
        { table, unknownMigrations: names },
        `database has migrations this release does not know (${names.join(', ')}): a newer release applied them; starting anyway`,
      );
    const migrateMessaging = () =>
      migrate(db, messagingMigrations, 'messaging_migrations', warnNewer('messaging_migrations'));
    // Created at the first start, when the first statement finds it missing.
    await migrateMessaging().catch(async (error: unknown) => {
      if (!isMissingDatabase(error)) throw error;
      await ensureDatabase(server, name);
      await migrateMessaging();
    });
    await migrate(db, this.def.migrations, 'schema_migrations', warnNewer('schema_migrations'));
  }

  private async openTransport(): Promise<void> {
    if (this.options.transport) {
      this.transport = this.options.transport;
    } else {
      const onError = (error: unknown) => this.log.warn({ err: error }, 'transport error');
      const amqp = this.config.optionalString('amqp.url');
      const server = this.config.optionalString('database.url');
      if (amqp) {
        this.transport = new RabbitTransport({
          url: amqp,
          connectionName: this.instanceId,
          prefix: this.config.optionalString('amqp.prefix') ?? '',
          onError,
        });
      } else if (server) {
        const bus = this.config.string('bus.database');
        await ensureDatabase(server, bus, this.database?.pool);
        this.transport = new PostgresTransport({
          url: databaseUrl(server, bus),
          pollMs: this.config.number('bus.pollMs'),
          listenedPollMs: this.config.number('bus.listenedPollMs'),
          queryTimeoutMs: this.config.number('bus.queryTimeoutMs'),
          preparedStatements: this.config.boolean('database.preparedStatements'),
          onError,
        });
      } else {
        this.log.warn('no DATABASE_URL or AMQP_URL: events and config refresh are off');
        return;
      }
      this.ownsTransport = true;
    }
    await this.transport.declare(this.options.topology ?? declaredTopology, this.name);
  }

  private buildContext(breakers: CircuitBreakers): void {
    const clients = new Map<string, ServiceClient>();
    const database = this.database;
    const publish = createEventPublisher(this.name);
    const runtime = this;
    this.ctx = {
      name: this.name,
      instanceId: this.instanceId,
      config: this.config,
      log: this.log,
      get db() {
        if (!database) throw new Error(`${runtime.name} has no database`);
        return database.db;
      },
      publish,
      async transaction(fn) {
        if (!database) throw new Error(`${runtime.name} has no database`);
        const run = async () => {
          let published = false;
          const result = await trackedTransaction(
            database.db,
            async (trx) => {
              const value = await fn(trx);
              published = publishedIn(trx);
              return value;
            },
            (error) => runtime.log.warn({ err: error }, 'afterCommit callback failed'),
          );
          if (published) runtime.relay?.committed();
          return result;
        };
        try {
          return await run();
        } catch (error) {
          // PostgreSQL rolled the whole transaction back and asks for it to be run again (a deadlock
          // victim, a serialization failure): once, so the caller gets an answer rather than a 500.
          if (!isTransactionConflict(error)) throw error;
          runtime.log.info({ err: error }, 'transaction conflicted with a concurrent one; running it again');
          return run();
        }
      },
      withStatementTimeout(timeoutMs, fn) {
        if (!database) throw new Error(`${runtime.name} has no database`);
        return withStatementTimeout(database.db, timeoutMs, fn);
      },
      client: (service) => {
        let client = clients.get(service);
        if (!client) {
          client = new ServiceClient(service, {
            discovery: this.discovery,
            breakers,
            tracing: this.tracing,
            defaultTimeoutMs: this.config.number('http.client.timeoutMs'),
            maxAttempts: this.config.number('http.client.maxAttempts'),
            credentials: this.credentials,
          });
          clients.set(service, client);
        }
        return client;
      },
      metrics: this.metrics,
      tracing: this.tracing,
      discovery: this.discovery,
      transport: this.transport,
      breakers,
      credentials: this.credentials,
    };
  }

  private messagingDb(): Kysely<MessagingTables> {
    return this.database!.db as unknown as Kysely<MessagingTables>;
  }

  private async openMessaging(): Promise<void> {
    const { def, transport, database } = this;
    if (transport && database) {
      this.relay = new OutboxRelay({
        db: this.messagingDb(),
        url: database.url,
        transport,
        metrics: this.metrics,
        log: this.log,
        confirmTimeoutMs: this.config.number('events.confirmTimeoutMs'),
      });
      const handlers = def.handlers?.(this.ctx) ?? [];
      if (handlers.length > 0) {
        const topology = this.options.topology ?? declaredTopology;
        const declared = new Set(topology[this.name] ?? []);
        const undeclared = handlers.filter((h) => !declared.has(h.contract.name)).map((h) => h.contract.name);
        if (undeclared.length) {
          throw new Error(
            `${this.name} handles ${undeclared.join(', ')} but the topology does not route them to it`,
          );
        }
        this.consumer = new EventConsumer<DB>({
          queue: this.name,
          db: database.db,
          transport,
          handlers,
          retry: {
            maxAttempts: this.config.number('events.maxAttempts'),
            maxContendedAttempts: this.config.number('events.maxContendedAttempts'),
            baseDelayMs: this.config.number('events.baseDelayMs'),
            maxDelayMs: this.config.number('events.maxDelayMs'),
          },
          concurrency: this.config.number('events.concurrency'),
          tracing: this.tracing,
          metrics: this.metrics,
          log: this.log,
        });
      }
    } else if (def.handlers) {
      throw new Error(`${this.name} has event handlers but no database or transport`);
    }
    if (database) {
      const config = this.config;
      this.retention = new RetentionJob({
        tasks: [
          ...messagingRetentionTasks(this.messagingDb(), () => ({
            inboxSeconds: config.number('retention.inboxSeconds'),
            deadLetterSeconds: config.number('retention.deadLetterSeconds'),
          })),
          ...(def.retention?.(this.ctx) ?? []),
        ],
        metrics: this.metrics,
        log: this.log,
        settings: () => ({
          intervalMs: config.number('retention.intervalMs'),
          batchSize: config.number('retention.batchSize'),
          maxBatches: config.number('retention.maxBatches'),
        }),
      });
    }
    if (transport) {
      this.refreshSubscription = await transport.onBroadcast(
        'config.refresh',
        (payload) => {
          const destination = (payload as { destination?: string } | undefined)?.destination;
          if (destination && destination !== this.name && destination !== '*') return;
          this.config.refresh().catch((error) => this.log.warn({ err: error }, 'config refresh failed'));
        },
        { missed: () => this.catchUpConfig() },
      );
      // A refresh broadcast since the config was loaded (during migrations, say) reached no one:
      // read it again now that one would be heard. One GET, off the start's path.
      this.config.refresh().catch((error) => this.log.warn({ err: error }, 'config refresh failed'));
    }
  }

  /**
   * A refresh broadcast while the transport's connection was down is lost: read the config again,
   * whichever service it may have named (a read that changes nothing applies nothing), until the
   * config server answers. The first read waits up to a second, so that the services back from one
   * outage do not all ask the config server at once.
   */
  private catchUpConfig(): void {
    this.log.info('broadcasts may have been missed while the transport was down; re-reading config');
    // One loop at a time: a loss while it runs has it read once more after its read succeeded,
    // since that read may have started before the refresh the loss swallowed.
    if (this.configCatchUp) {
      this.configCatchUp.again = true;
      return;
    }
    const catchUp = { again: false };
    this.configCatchUp = catchUp;
    void (async () => {
      do {
        catchUp.again = false;
        await retryUntilConnected(() => this.config.refresh({ throwIfUnreachable: true }).then(() => {}), {
          stopped: () => this.stopping !== undefined,
          onFailure: (error) =>
            this.log.warn({ err: error }, 'config catch-up could not read the config server; retrying'),
        });
      } while (catchUp.again && this.stopping === undefined);
    })().finally(() => {
      this.configCatchUp = undefined;
    });
  }

  private async buildHttp(): Promise<ServiceApp> {
    const app = await createHttpApp({
      name: this.name,
      description: this.def.description,
      log: this.log,
      tracing: this.tracing,
      metrics: this.metrics,
      accessLogLevel: this.def.accessLogLevel,
      bodyLimit: this.def.bodyLimit,
      credentials: this.credentials,
      basicAuth: this.def.basicAuth ?? false,
      metricsScrapeToken: () => this.config.optionalString('metrics.scrapeToken'),
      trustedProxies: this.def.trustedProxies?.(this.config),
    });
    const hidden = { schema: { hide: true } };
    app.get('/health/live', hidden, async () => ({ status: 'UP' }));
    app.get('/health/ready', hidden, async (_req, reply) => {
      const checks: Record<string, () => Promise<boolean>> = {
        ...(this.database
          ? {
              db: () =>
                this.messagingDb()
                  .selectFrom('outbox')
                  .select('seq')
                  .limit(1)
                  .execute()
                  .then(() => true),
            }
          : {}),
        ...(this.transport ? { transport: () => this.transport!.healthy() } : {}),
        ...(this.def.readiness?.(this.ctx) ?? {}),
      };
      const components: Record<string, { status: 'UP' | 'DOWN' }> = {};
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          const up = await Promise.race([
            check().catch(() => false),
            new Promise<boolean>((resolve) => setTimeout(resolve, 2_000, false).unref()),
          ]);
          components[name] = { status: up ? 'UP' : 'DOWN' };
        }),
      );
      const up = this.ready && Object.values(components).every((c) => c.status === 'UP');
      return reply.status(up ? 200 : 503).send({ status: up ? 'UP' : 'DOWN', components });
    });
    app.get('/metrics', hidden, async (_req, reply) =>
      reply.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics()),
    );
    if (this.database && this.transport)
      this.addDeadLetterRoutes(app, new DeadLetterStore(this.messagingDb(), this.transport));
    await this.def.routes?.(app, this.ctx);
    return app;
  }

  private addDeadLetterRoutes(app: ServiceApp, store: DeadLetterStore): void {
    const DeadLetter = Type.Object({
      id: Type.String(),
      messageId: Type.String(),
      queue: Type.String(),
      topic: Type.String(),
      headers: Type.Record(Type.String(), Type.String()),
      payload: Type.Unknown(),
      error: Type.String(),
      attempts: Type.Integer(),
      failedAt: Type.String(),
    });
    const tags = ['platform'];
    app.get(
      '/admin/dead-letters',
      {
        schema: {
          tags,
          summary: 'Messages that failed every attempt',
          querystring: PageQuery,
          response: { 200: PageSchema(DeadLetter) },
        },
      },
      async (req) => {
        requireIdentity(req, 'ADMIN');
        const { page, size } = req.query;
        return store.list(page, size);
      },
    );
    app.post(
      '/admin/dead-letters/:id/replay',
      {
        schema: {
          tags,
          summary: 'Send a dead letter back to its queue',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        },
      },
      async (req, reply) => {
        requireIdentity(req, 'ADMIN');
        if (!(await store.replay(req.params.id))) throw notFound('No such dead letter');
        return reply.status(202).send({ replayed: req.params.id });
      },
    );
    app.delete(
      '/admin/dead-letters/:id',
      {
        schema: {
          tags,
          summary: 'Discard a dead letter',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        },
      },
      async (req, reply) => {
        requireIdentity(req, 'ADMIN');
        if (!(await store.discard(req.params.id))) throw notFound('No such dead letter');
        return reply.status(204).send();
      },
    );
  }

  private stopping: Promise<void> | undefined;

  /**
   * Stops listening and waits for requests in flight. Keep-alive connections that become idle
   * after close began are closed as they go idle; after 10 s the rest are cut.
   */
  private async closeHttp(): Promise<void> {
    const http = this.http;
    if (!http) return;
    const idle = setInterval(() => http.server.closeIdleConnections(), 50);
    const cut = setTimeout(() => http.server.closeAllConnections(), 10_000);
    try {
      await http.close();
    } finally {
      clearInterval(idle);
      clearTimeout(cut);
    }
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /** Leave the registry, drain HTTP, finish handlers, flush the outbox, then close connections. */
  private async shutdown(): Promise<void> {
    this.ready = false;
    const step = async (what: string, fn: () => Promise<unknown> | unknown) => {
      try {
        await fn();
      } catch (error) {
        this.log.warn({ err: error }, `shutdown: ${what} failed`);
      }
    };
    if (this.discovery && this.ownsDiscovery) await step('deregister', () => this.discovery.close());
    else if (this.discovery) await step('deregister', () => this.discovery.deregister());
    await step('http', () => this.closeHttp());
    await step('consumers', () => this.consumer?.stop());
    await step('retention', () => this.retention?.stop());
    await step('relay', async () => {
      await this.relay?.stop();
      await this.relay?.drain();
    });
    await step('refresh', () => this.refreshSubscription?.close());
    await step('onStop', () => this.def.onStop?.(this.ctx));
    if (this.ownsTransport) await step('transport', () => this.transport?.close());
    await step('database', () => this.database?.close());
    await step('tracing', () => this.tracing?.shutdown());
    this.log.info('stopped');
  }
}

/** pino's `err` serializer, with the stack in the sources' terms (source-mapped-stack.ts). */
function sourceMappedError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  if (
    serialized &&
    typeof serialized === 'object' &&
    'stack' in serialized &&
    typeof serialized.stack === 'string'
  )
    serialized.stack = sourceMappedStack(serialized.stack);
  return serialized;
}
