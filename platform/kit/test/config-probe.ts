import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineService, type Service } from '@sagamart/kit';
import { freePort } from '@sagamart/testkit/ports';

export interface ProbeSettings {
  newCheckout: boolean;
  banner: string;
  staticLimit: number;
  source: string;
  /** config.refresh broadcasts this instance has heard (any destination). */
  refreshesHeard: number;
}

/**
 * A service that shows its config on GET /settings. `features` changes live on refresh;
 * `limits` needs a restart. `duringStart` runs as its migration: after its config is loaded,
 * before it listens to broadcasts.
 */
export function configProbe(name: string, duringStart?: () => Promise<void>) {
  let refreshesHeard = 0;
  let tap: { close(): Promise<void> } | undefined;
  return defineService({
    name,
    port: 0,
    ...(duringStart ? { migrations: { '0001_during_start': { up: duringStart } } } : {}),
    defaults: { features: { newCheckout: false, banner: 'bundled' }, limits: { static: 10 } },
    refreshable: ['features'],
    async onStart(ctx) {
      tap = await ctx.transport?.onBroadcast('config.refresh', () => {
        refreshesHeard += 1;
      });
    },
    onStop: () => tap?.close(),
    routes(app, ctx) {
      app.get(
        '/settings',
        async (): Promise<ProbeSettings> => ({
          newCheckout: ctx.config.boolean('features.newCheckout'),
          banner: ctx.config.string('features.banner'),
          staticLimit: ctx.config.number('limits.static'),
          source: ctx.config.source,
          refreshesHeard,
        }),
      );
    },
  });
}

export async function settings(service: Service): Promise<ProbeSettings> {
  return (await (await fetch(`${service.url}/settings`)).json()) as ProbeSettings;
}

/** A throwaway config repository for a config server under test. */
export async function tempConfigRepo() {
  const dir = await mkdtemp(join(tmpdir(), 'sagamart-config-repo-'));
  return {
    dir,
    write: (file: string, yaml: string) => writeFile(join(dir, file), yaml),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A loopback port nothing listens on. */
export const closedPort = freePort;
