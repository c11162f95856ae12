import { compileServices } from './service-build.ts';
import type { ServicePackage } from './services.ts';

// Runs compileServices in a process of its own (forked by compileServicesAside): esbuild's API and the
// bundles it hands back (about 30 MB) would otherwise stay in the launcher's heap for as long as it runs.
process.once('message', (services: ServicePackage[]) => {
  compileServices(services).then(
    (outputs) => process.send!({ type: 'built', outputs: [...outputs] }, () => process.exit(0)),
    (error: Error) => process.send!({ type: 'failed', error: error.message }, () => process.exit(1)),
  );
});
