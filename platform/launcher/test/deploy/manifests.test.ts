import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../src/services.ts';
import {
  composeFile,
  deployDir,
  type K8sObject,
  overlays,
  render,
  repoService,
  secretKeys,
  serviceDeployments,
  wantedServices,
} from './manifests.ts';

// Offline checks of deploy/: every rendered Kubernetes object against the Kubernetes schemas
// (kubernetes-models' bundled validators), the Compose file against the Compose specification's
// schema, the Dockerfile through a linter, and the conventions a schema cannot see.

/** Validates one object with the kubernetes-models class of its apiVersion and kind. */
async function validateObject(object: K8sObject): Promise<string | undefined> {
  let module: Record<string, unknown>;
  try {
    module = (await import(`kubernetes-models/${object.apiVersion}`)) as Record<string, unknown>;
  } catch {
    return `${object.kind}/${object.metadata.name}: unknown apiVersion ${object.apiVersion}`;
  }
  const Model = module[object.kind] as (new (data: K8sObject) => { validate(): void }) | undefined;
  if (!Model)
    return `${object.kind}/${object.metadata.name}: ${object.apiVersion} has no kind ${object.kind}`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return `${object.kind}/${object.metadata.name}: ${(error as Error).message}`;
  }
}

/** Compose's interpolation of `${NAME}`, `${NAME:-default}` and `${NAME:?message}` from `vars`. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) =>
    vars[name] ? vars[name] : kind === '-' ? (rest ?? '') : '',
  );
}

const rendered = Object.fromEntries(overlays.map((o) => [o, render(o)])) as Record<
  (typeof overlays)[number],
  K8sObject[]
>;
const wanted = wantedServices();

describe('Kubernetes manifests (kubectl kustomize)', () => {
  for (const overlay of overlays) {
    it(`${overlay}: every object is valid against the Kubernetes schemas`, async () => {
      const objects = rendered[overlay];
      expect(objects.length).toBeGreaterThan(10);
      const errors = (await Promise.all(objects.map(validateObject))).filter(Boolean);
      expect(errors).toEqual([]);
    });
  }

  it('the schema validator catches a broken field', async () => {
    const deployment = structuredClone(rendered['overlays/prod'].find((o) => o.kind === 'Deployment')!);
    deployment.spec.replicas = 'two';
    expect(await validateObject(deployment)).toMatch(/replicas must be integer/);
  });

  it('every service a manifest deploys exists in the repo, on the port its package declares', () => {
    const problems: string[] = [];
    for (const { service, container } of serviceDeployments(rendered['overlays/dev'])) {
      if (wanted && !wanted(service)) continue;
      const found = repoService(service);
      if (typeof found === 'string') problems.push(found);
      else if (container.ports?.[0]?.containerPort !== found.port)
        problems.push(
          `${service}: containerPort ${container.ports?.[0]?.containerPort}, package port ${found.port}`,
        );
    }
    expect(problems).toEqual([]);
  });

  it('every service of the repo is deployed (the mocks in dev only)', () => {
    const inDev = new Set(serviceDeployments(rendered['overlays/dev']).map((d) => d.service));
    const inProd = new Set(serviceDeployments(rendered['overlays/prod']).map((d) => d.service));
    const repo = readdirSync(join(repoRoot, 'services')).filter(
      (name) => typeof repoService(name) !== 'string',
    );
    // No discovery server on Kubernetes: docs/adr/0006-kubernetes-discovery-and-config.md.
    for (const name of repo.filter((n) => n !== 'discovery-server')) expect(inDev, name).toContain(name);
    for (const name of repo.filter((n) => n.startsWith('mock-'))) expect(inProd, name).not.toContain(name);
    expect([...inProd].filter((n) => n.startsWith('mock-'))).toEqual([]);
  });

  it('every Deployment is hardened, probed on the kit health endpoints, sized, and Secret keys exist', () => {
    const keys = secretKeys();
    for (const overlay of overlays) {
      for (const { service, deployment, container } of serviceDeployments(rendered[overlay])) {
        const pod = deployment.spec.template.spec;
        const where = `${overlay} ${service}`;
        expect(pod.securityContext?.runAsNonRoot, where).toBe(true);
        expect(container.securityContext, where).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        const port = container.ports?.find((p) => p.name === 'http');
        expect(port, where).toBeDefined();
        expect(container.readinessProbe?.httpGet, where).toEqual({ path: '/health/ready', port: 'http' });
        expect(container.livenessProbe?.httpGet, where).toEqual({ path: '/health/live', port: 'http' });
        expect(container.resources?.requests?.memory, where).toBeDefined();
        expect(container.resources?.limits?.memory, where).toBeDefined();
        expect(
          container.volumeMounts?.some((m) => m.mountPath === '/tmp'),
          where,
        ).toBe(true);
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref) expect(keys.has(ref.key), `${where}: Secret key ${ref.key}`).toBe(true);
        }
      }
    }
  });

  it('prod: PDB for every Deployment, HPA for gateway, catalog and order, Ingress with TLS and the WebSocket routes', () => {
    const objects = rendered['overlays/prod'];
    const deployments = objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
    const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.metadata.name);
    expect(pdbs.sort()).toEqual([...deployments].sort());
    const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual([
      'catalog-service',
      'gateway',
      'order-service',
    ]);
    const ingress = objects.find((o) => o.kind === 'Ingress')!;
    expect(ingress.spec.tls?.[0]?.secretName).toBeTruthy();
    const paths = ingress.spec.rules[0].http.paths as Array<{
      path: string;
      backend: { service: { name: string } };
    }>;
    expect(paths.map((p) => p.path)).toContain('/ws');
    expect(new Set(paths.map((p) => p.backend.service.name))).toEqual(new Set(['gateway']));
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
  });

  for (const overlay of ['overlays/dev', 'overlays/prod'] as const) {
    it(`${overlay}: NetworkPolicies admit other namespaces only to the gateway (ingress controller) and /metrics (monitoring)`, () => {
      const objects = rendered[overlay];
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      const selects = (selector: { matchLabels?: Record<string, string> }, labels: Record<string, string>) =>
        Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
        !('matchExpressions' in selector);
      const problems: string[] = [];
      for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
        const name = deployment.metadata.name;
        const labels = deployment.spec.template.metadata.labels as Record<string, string>;
        const mine = policies.filter((p) => selects(p.spec.podSelector, labels));
        if (!mine.some((p) => p.spec.policyTypes.includes('Ingress')))
          problems.push(`${name}: no NetworkPolicy selects its pods`);
        for (const policy of mine)
          for (const rule of policy.spec.ingress ?? []) {
            const where = `${name} (${policy.metadata.name})`;
            if (!rule.from?.length) {
              problems.push(`${where}: admits every source`);
              continue;
            }
            for (const peer of rule.from) {
              if (peer.ipBlock) problems.push(`${where}: admits an ipBlock`);
              if (!peer.namespaceSelector) continue; // this namespace's own pods
              const namespace = peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
              const ports = (rule.ports ?? []).map((p: { port: string | number }) => p.port);
              const allowed =
                (namespace === 'ingress-nginx' && name === 'gateway') || namespace === 'monitoring';
              if (!allowed || ports.length !== 1 || ports[0] !== 'http')
                problems.push(
                  `${where}: admits namespace ${namespace ?? 'any'} on ${ports.join(',') || 'every port'}`,
                );
            }
          }
      }
      expect(problems).toEqual([]);
      expect(policies.length).toBeGreaterThan(0);
    });
  }

  it('every config/*.yml becomes a ConfigMap the config server mounts', () => {
    const files = readdirSync(join(repoRoot, 'config')).filter((f) => f.endsWith('.yml'));
    const kustomization = parse(readFileSync(join(repoRoot, 'config/kustomization.yaml'), 'utf8')) as {
      configMapGenerator: Array<{ name: string; files: string[] }>;
    };
    const generated = kustomization.configMapGenerator.flatMap((g) => g.files);
    expect(generated.sort()).toEqual(files.sort());
    const configServer = serviceDeployments(rendered['overlays/dev']).find(
      (d) => d.service === 'config-server',
    )!;
    const sources = configServer.deployment.spec.template.spec.volumes.find(
      (v: { name: string }) => v.name === 'config-repo',
    ).projected.sources as Array<{ configMap: { name: string; optional?: boolean } }>;
    const configMaps = new Set(
      rendered['overlays/dev'].filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name),
    );
    for (const file of files) {
      const mounted = sources.find((s) => s.configMap.name.startsWith(`config-${file.slice(0, -4)}`));
      expect(mounted, file).toBeDefined();
      expect(configMaps.has(mounted!.configMap.name), file).toBe(true);
    }
  });
});

describe('Compose file', () => {
  const compose = composeFile();

  it('is valid against the Compose specification schema', () => {
    const schema = JSON.parse(readFileSync(join(deployDir, 'schema/compose-spec.json'), 'utf8'));
    // The schema names draft-07 by its https id, which Ajv does not know by that name: skip the meta check.
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    const validate = ajv.compile(schema);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    const broken = structuredClone(compose);
    broken.services.gateway.depends_on.postgres.condition = 'service_happy';
    expect(validate(broken)).toBe(false);
  });

  it('runs every service of the dev manifests (plus the discovery server), each waiting for healthy dependencies', () => {
    const inDev = serviceDeployments(rendered['overlays/dev']).map((d) => d.service);
    for (const service of [...inDev, 'discovery-server']) {
      const entry = compose.services[service];
      expect(entry, service).toBeDefined();
      expect(entry.environment.SAGAMART_SERVICE).toBe(service);
      expect(entry.healthcheck?.test?.join(' '), service).toContain('/health/ready');
      for (const dependency of ['postgres', 'rabbitmq', 'redis'])
        expect(entry.depends_on[dependency], `${service} → ${dependency}`).toEqual({
          condition: 'service_healthy',
        });
    }
    for (const infra of ['postgres', 'rabbitmq', 'redis'])
      expect(compose.services[infra].healthcheck).toBeDefined();
  });

  it('publishes the mock PG’s checkout page where the shop’s pages send the browser to pay', () => {
    // apps/web/src/payments/pg-checkout.ts: the page's own host, at the port the gateway names in the
    // page (gateway.webHints.pgPort), else 9083. So the mock PG must be published there, on the
    // gateway's host address, whatever port deploy/.env picks for it.
    const WEB_DEFAULT_PG_PORT = 9083;
    const mockPg = repoService('mock-pg');
    if (typeof mockPg === 'string') throw new Error(mockPg);
    for (const vars of [{}, { PG_PORT: '10083' }] as Array<Record<string, string>>) {
      const published = (service: string) =>
        ((compose.services[service].ports ?? []) as unknown[]).map((spec) => {
          const parts = interpolate(String(spec), vars).split(':');
          return {
            address: parts.length > 2 ? parts[0] : '',
            host: Number(parts.at(-2)),
            container: Number(parts.at(-1)),
          };
        });
      const hint = interpolate(
        String(compose.services.gateway.environment.GATEWAY_WEBHINTS_PGPORT ?? ''),
        vars,
      );
      const pgPort = Number(hint) || WEB_DEFAULT_PG_PORT;
      const [gateway] = published('gateway');
      expect(published('mock-pg'), JSON.stringify(vars)).toContainEqual({
        address: gateway!.address,
        host: pgPort,
        container: mockPg.port,
      });
    }
  });

  it('holds no secret: every secret is interpolated from deploy/.env', () => {
    const text = readFileSync(join(deployDir, 'compose.yaml'), 'utf8');
    for (const line of text.split('\n').filter((l) => /(PASSWORD|SECRET|KEY)\w*:/.test(l)))
      expect(line, line).toMatch(/\$\{/);
  });
});

describe('Prometheus scrape config (deploy/observability/prometheus.yml)', () => {
  const prometheus = parse(readFileSync(join(deployDir, 'observability/prometheus.yml'), 'utf8')) as {
    scrape_configs: Array<{ job_name: string; basic_auth?: unknown; authorization?: unknown }>;
  };

  it('scrapes with the metrics-only bearer token, never the platform password', () => {
    expect(prometheus.scrape_configs.length).toBeGreaterThan(0);
    for (const job of prometheus.scrape_configs) {
      expect(job.authorization, job.job_name).toEqual({
        type: 'Bearer',
        credentials_file: expect.stringMatching(/^\//),
      });
    }
    // The platform's Basic login reads every decrypted secret from the config server.
    expect(JSON.stringify(prometheus)).not.toMatch(/basic_auth|password/);
  });

  it('every service gets that token as METRICS_SCRAPETOKEN, from deploy/.env or the Secret', () => {
    const compose = composeFile();
    for (const [name, entry] of Object.entries(compose.services) as Array<
      [string, { environment?: Record<string, string> }]
    >) {
      if (!entry.environment?.SAGAMART_SERVICE) continue;
      expect(entry.environment.METRICS_SCRAPETOKEN, name).toMatch(/^\$\{METRICS_SCRAPETOKEN:\?/);
    }
    expect(readFileSync(join(deployDir, '.env.example'), 'utf8')).toMatch(/^METRICS_SCRAPETOKEN=/m);
    expect(secretKeys().has('metrics-scrape-token')).toBe(true);
    for (const overlay of overlays) {
      for (const { service, container } of serviceDeployments(rendered[overlay])) {
        const variable = container.env?.find((e) => e.name === 'METRICS_SCRAPETOKEN');
        expect(variable?.valueFrom?.secretKeyRef, `${overlay} ${service}`).toEqual({
          name: 'sagamart-secrets',
          key: 'metrics-scrape-token',
        });
      }
    }
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');

  it('lints clean (dockerfile-utils)', () => {
    expect(lintDockerfile(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('is multi-stage, runs as a non-root user, in production mode, with the container entry', () => {
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^USER 1000:1000$/m);
    expect(text).toMatch(/NODE_ENV=production/);
    expect(text).toMatch(/platform\/launcher\/src\/container\.ts/);
  });
});
