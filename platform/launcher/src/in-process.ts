import { pathToFileURL } from 'node:url';
import type { Transport } from '@sagamart/kit';
import type { InProcessBundle } from './service-bundles.ts';
import { kitSource, type ServicePackage } from './services.ts';

/** What `--in-process` needs from the kit: the shared queue transport. */
export type InProcessKit = Pick<typeof import('@sagamart/kit'), 'sharedPostgresTransport'>;

/** A service's module, as `src/index.ts` exports it. */
export type ServiceModuleFactory = (options: {
  env: Record<string, string | undefined>;
  transport?: Transport;
}) => { start(): Promise<string>; stop(): Promise<void> };

/** Where the kit and each service's factory come from in `--in-process` mode. */
export interface InProcessModules {
  kit(): Promise<InProcessKit>;
  factory(service: ServicePackage): Promise<ServiceModuleFactory>;
}

/**
 * From the compiled in-process bundle (docs/adr/0010), or from the sources without one
 * (SAGAMART_RUN_TS=1, under tsx). Imported by path, not package name: the launcher's own bundle must
 * not compile the kit in (one process per service never needs it).
 */
export function inProcessModules(bundle: InProcessBundle | undefined): InProcessModules {
  const load = <T>(path: string) => import(pathToFileURL(path).href) as Promise<T>;
  return {
    kit: () => load(bundle?.kit ?? kitSource),
    factory: async (service) =>
      (await load<{ default: ServiceModuleFactory }>(bundle?.services.get(service.name) ?? service.module))
        .default,
  };
}
