import type { ConfigEnvironment } from '@sagamart/kit';
import { decryptSource, hasCipherValues } from '../domain/cipher.ts';
import { sourceCandidates, toSpringSource } from '../domain/property-sources.ts';
import type { ConfigRepository } from '../infra/config-repository.ts';
import type { TextEncryptor } from '../infra/text-encryptor.ts';

export interface EnvironmentRequest {
  application: string;
  profiles: string[];
  label: string | undefined;
}

/**
 * Spring Cloud Config's answer to GET /{application}/{profile}[/{label}]: the matching files,
 * highest precedence first, flattened, with `{cipher}` values decrypted.
 */
export async function findEnvironment(
  repository: ConfigRepository,
  encryptor: TextEncryptor | undefined,
  request: EnvironmentRequest,
): Promise<ConfigEnvironment> {
  const files = await repository.read(sourceCandidates(request.application, request.profiles, request.label));
  const propertySources = files.map(({ name, tree }) => {
    const source = toSpringSource(tree);
    // Without a key nothing can be decrypted: such values are served as invalid, never as ciphertext.
    const decrypted = hasCipherValues(source)
      ? decryptSource(source, (text) => encryptor?.decrypt(text))
      : source;
    return { name, source: decrypted };
  });
  return {
    name: request.application,
    profiles: request.profiles,
    label: request.label ?? null,
    version: null,
    state: null,
    propertySources,
  };
}
