import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** The image's ENV and ENTRYPOINT, read from the Dockerfile's last stage. */
export function imageDefaults(): { env: Record<string, string>; entrypoint: string[]; workdir: string } {
  const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const lastStage = text.slice(text.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const line of lastStage.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const match of line.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[match[1]!] = match[2]!;
  }
  const entrypoint = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(lastStage)?.[1] ?? '[]') as string[];
  const workdir = /^WORKDIR (.+)$/m.exec(lastStage)?.[1] ?? '/';
  return { env, entrypoint, workdir };
}

/** Where a container would be reached on this machine: its named port moved by the test's offset. */
export function portOf(container: Container, port: string | number, offset: number): number {
  const number =
    typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
  if (!number) throw new Error(`${container.name} has no port ${port}`);
  return number + offset;
}

/**
 * The environment a Deployment gives its container, resolved: the image's ENV, then envFrom
 * ConfigMaps, then env (values, ConfigMap and Secret keys). `secret(key)` supplies Secret values.
 */
export function containerEnv(
  objects: K8sObject[],
  container: Container,
  secret: (key: string) => string,
): Record<string, string> {
  const configMap = (name: string): Record<string, string> => {
    const found = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
    if (!found) throw new Error(`${container.name} reads ConfigMap ${name}, which the manifests do not have`);
    return found.data ?? {};
  };
  const env: Record<string, string> = { ...imageDefaults().env };
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, configMap(source.configMapRef.name));
    if (source.secretRef) throw new Error('envFrom a whole Secret: reference each key instead');
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.secretKeyRef)
      env[variable.name] = secret(variable.valueFrom.secretKeyRef.key);
    else if (variable.valueFrom?.configMapKeyRef) {
      const { name, key } = variable.valueFrom.configMapKeyRef;
      const value = configMap(name)[key];
      if (value === undefined) throw new Error(`${container.name}: ConfigMap ${name} has no key ${key}`);
      env[variable.name] = value;
    }
  }
  return env;
}

/**
 * Rewrites in-cluster addresses (`http://<service>` of a Kubernetes Service) to this machine's
 * 127.0.0.1 and the target container's port moved by the offset.
 */
export function localAddresses(objects: K8sObject[], offset: number): (value: string) => string {
  const ports = new Map<string, number>();
  for (const service of objects.filter((o) => o.kind === 'Service' && isSagamart(o))) {
    const deployment = serviceDeployments(objects).find(
      (d) =>
        d.deployment.spec.template.metadata.labels['app.kubernetes.io/name'] ===
        service.spec.selector['app.kubernetes.io/name'],
    );
    if (!deployment) continue;
    const port = service.spec.ports[0];
    ports.set(service.metadata.name, portOf(deployment.container, port.targetPort ?? port.port, offset));
  }
  return (value) =>
    value.replace(/\bhttp:\/\/([a-z0-9-]+)(?=\/|$)/g, (whole, host: string) =>
      ports.has(host) ? `http://127.0.0.1:${ports.get(host)}` : whole,
    );
}

/** Writes the ConfigMaps a container mounts into a folder each; returns mountPath → folder. */
export function materializeMounts(
  objects: K8sObject[],
  deployment: K8sObject,
  container: Container,
  dir: string,
): Map<string, string> {
  const mounts = new Map<string, string>();
  const volumes = (deployment.spec.template.spec.volumes ?? []) as Array<{
    name: string;
    configMap?: { name: string; optional?: boolean };
    projected?: { sources: Array<{ configMap?: { name: string; optional?: boolean } }> };
  }>;
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.find((v) => v.name === mount.name);
    const sources = volume?.configMap
      ? [volume.configMap]
      : (volume?.projected?.sources.map((s) => s.configMap).filter((c) => c !== undefined) ?? []);
    if (sources.length === 0) continue;
    const folder = join(dir, mount.name);
    mkdirSync(folder, { recursive: true });
    for (const source of sources) {
      const found = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === source.name);
      if (!found) {
        if (source.optional) continue;
        throw new Error(`${container.name} mounts ConfigMap ${source.name}, which the manifests do not have`);
      }
      for (const [file, content] of Object.entries((found.data ?? {}) as Record<string, string>))
        writeFileSync(join(folder, file), content);
    }
    mounts.set(mount.mountPath, folder);
  }
  return mounts;
}
