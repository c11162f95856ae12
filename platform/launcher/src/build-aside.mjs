// Runs a build (service-build-process.ts) in a child process under tsx: the build code is
// TypeScript, and the process lives only as long as the build, so neither tsx nor esbuild stays in
// the launcher. Plain JavaScript: start.mjs builds the launcher itself with it.
import { fork } from 'node:child_process';

/** Resolves with what the build returned (JSON), rejects with its error. */
export function buildAside(request) {
  const child = fork(new URL('./service-build-process.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => {
      if (message.type === 'built') resolve(message.outputs);
      else reject(new Error(message.error ?? 'the build failed'));
    });
    child.once('exit', (code) => reject(new Error(`the build process exited (${code})`)));
    child.send(request);
  });
}
