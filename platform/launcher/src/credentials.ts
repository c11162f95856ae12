import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
// The kit's credentials module alone: the launcher starts before everything else, and the kit's main
// entry would load fastify, OpenTelemetry and the database drivers (about 3 s of CPU under tsx).
import { generateDeploymentSecret, PLATFORM_USER, platformPassword } from '@sagamart/kit/credentials';

/** What local tools need to reach the platform: written to `<dataDir>/credentials.json` (mode 600). */
export interface DeploymentLogin {
  /** SAGAMART_DEPLOYMENT_SECRET: every service holds it; it signs service tokens. */
  deploymentSecret: string;
  /** HTTP Basic for the config and discovery servers (Spring clients: spring.cloud.config.username/password, `http://user:password@host:8761/eureka`). */
  platformUser: string;
  platformPassword: string;
}

export const credentialsFile = (dataDir: string) => join(dataDir, 'credentials.json');

/**
 * The deployment's credentials: SAGAMART_DEPLOYMENT_SECRET when set (then nothing is written), else
 * the ones generated at the first start and kept in the data folder.
 */
export async function deploymentLogin(
  dataDir: string,
  env: Record<string, string | undefined> = process.env,
): Promise<DeploymentLogin> {
  const login = (deploymentSecret: string): DeploymentLogin => ({
    deploymentSecret,
    platformUser: PLATFORM_USER,
    platformPassword: platformPassword(deploymentSecret),
  });
  if (env.SAGAMART_DEPLOYMENT_SECRET) return login(env.SAGAMART_DEPLOYMENT_SECRET);
  const file = credentialsFile(dataDir);
  const stored = await readFile(file, 'utf8').then(
    (text) => (JSON.parse(text) as Partial<DeploymentLogin>).deploymentSecret,
    () => undefined,
  );
  if (stored) return login(stored);
  const created = login(generateDeploymentSecret());
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}

/** `Authorization` for the config and discovery servers. */
export function platformAuthorization(login: DeploymentLogin): string {
  return `Basic ${Buffer.from(`${login.platformUser}:${login.platformPassword}`).toString('base64')}`;
}
