import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deploymentLogin } from './credentials.ts';
import { defaultDataDir } from './platform.ts';
import { SERVICE_PROCESS_ENV } from './processes.ts';
import { findServices } from './services.ts';

// npm run service -- <name>: runs one service in the foreground against the running platform.
const name = process.argv[2];
const services = await findServices();
const service = services.find((s) => s.name === name);
if (!service) {
  console.error(`Usage: npm run service -- <${services.map((s) => s.name).join('|')}>`);
  process.exit(2);
}
const { env } = JSON.parse(
  await readFile(join(defaultDataDir, 'platform.json'), 'utf8').catch(() => '{"env":{}}'),
) as {
  env: Record<string, string>;
};
const { deploymentSecret } = await deploymentLogin(defaultDataDir);
const child = spawn(process.execPath, ['--import', 'tsx', service.entry], {
  cwd: service.dir,
  env: { ...SERVICE_PROCESS_ENV, ...env, SAGAMART_DEPLOYMENT_SECRET: deploymentSecret, ...process.env },
  stdio: 'inherit',
});
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
