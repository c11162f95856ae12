import { compileInProcess, compileLauncher, compileServices } from './service-build.ts';
import type { BuildRequest } from './service-bundles.ts';

// Runs a build in a process of its own (forked by buildAside, or by start.mjs for the launcher):
// esbuild's API and the bundles it hands back (about 30 MB) would otherwise stay in the launcher's
// heap for as long as it runs, and the launcher itself runs without tsx.
const build = async (request: BuildRequest): Promise<unknown> => {
  if (request.target === 'launcher') return compileLauncher();
  if (request.target === 'in-process') {
    await compileInProcess(request.services); // its paths are known beforehand (inProcessBundle)
    return null;
  }
  return [...(await compileServices(request.services))];
};

process.once('message', (request: BuildRequest) => {
  build(request).then(
    (outputs) => process.send!({ type: 'built', outputs }, () => process.exit(0)),
    (error: Error) => process.send!({ type: 'failed', error: error.message }, () => process.exit(1)),
  );
});
