import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { repoRoot } from '../../src/services.ts';

/** The deployment files, read as they are committed: the tests never keep a second copy of them. */
export const deployDir = join(repoRoot, 'deploy');
export const overlays = ['base', 'overlays/dev', 'overlays/prod'] as const;
export type Overlay = (typeof overlays)[number];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: a manifest is whatever YAML says; tests check its shape.
  [key: string]: any;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  // biome-ignore lint/suspicious/noExplicitAny: see K8sObject
  [key: string]: any;
}

/** `kubectl kustomize` of the base or an overlay: every object it renders. */
export function render(overlay: Overlay): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', join(deployDir, 'k8s', overlay)], {
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
  });
  return parseAllDocuments(out)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

export const isSagamart = (o: K8sObject) => o.metadata.labels?.['app.kubernetes.io/part-of'] === 'sagamart';

/** The sagamart Deployments of a rendering, with the service each runs (its SAGAMART_SERVICE). */
export function serviceDeployments(
  objects: K8sObject[],
): Array<{ service: string; deployment: K8sObject; container: Container }> {
  return objects
    .filter((o) => o.kind === 'Deployment' && isSagamart(o))
    .map((deployment) => {
      const container = deployment.spec.template.spec.containers[0] as Container;
      const service = container.env?.find((e) => e.name === 'SAGAMART_SERVICE')?.value;
      if (!service) throw new Error(`Deployment ${deployment.metadata.name} sets no SAGAMART_SERVICE`);
      return { service, deployment, container };
    });
}

/** SAGAMART_DEPLOY_SERVICES=a,b (local runs only): check just these services of the manifests. */
export function wantedServices(): ((service: string) => boolean) | undefined {
  const only = process.env.SAGAMART_DEPLOY_SERVICES?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return only?.length ? (service) => only.includes(service) : undefined;
}

/** The repo's own package for a service, or why a manifest's service is not in the repo. */
export function repoService(service: string): { port: number } | string {
  const file = join(repoRoot, 'services', service, 'package.json');
  if (!existsSync(file))
    return `the manifests deploy ${service}, but the repo has no services/${service} (merge its branch, or remove it from deploy/)`;
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; sagamart?: { port?: number } };
  if (pkg.name !== `@sagamart/${service}`)
    return `services/${service}/package.json is named ${pkg.name}, not @sagamart/${service}`;
  if (!pkg.sagamart?.port) return `services/${service}/package.json has no sagamart.port`;
  return { port: pkg.sagamart.port };
}

/** The keys of the Secret the manifests reference (deploy/k8s/secrets.env.example). */
export function secretKeys(): Map<string, string> {
  const text = readFileSync(join(deployDir, 'k8s/secrets.env.example'), 'utf8');
  const keys = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([a-z0-9-]+)=(.*)$/.exec(line.trim());
    if (match) keys.set(match[1]!, match[2]!);
  }
  return keys;
}

// biome-ignore lint/suspicious/noExplicitAny: the Compose file as YAML gives it
export function composeFile(): any {
  // Compose resolves YAML merge keys (`<<: *service`) before it validates: so do we.
  return parse(readFileSync(join(deployDir, 'compose.yaml'), 'utf8'), { merge: true });
}
