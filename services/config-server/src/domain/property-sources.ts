import { type ConfigTree, type ConfigValue, flattenConfig } from '@sagamart/kit/pure';

/** Application, profile and label names: no path separators, nothing that starts with a dot. */
export const SAFE_NAME = '^(?!\\.)[a-zA-Z0-9_.-]+$';
/** One or more safe names separated by commas (`dev,local`). */
export const SAFE_NAME_LIST = '^(?!\\.)[a-zA-Z0-9_.-]+(,(?!\\.)[a-zA-Z0-9_.-]+)*$';

const safeName = new RegExp(SAFE_NAME);

export function isSafeName(name: string): boolean {
  return safeName.test(name);
}

/** `dev, local` → ['dev', 'local']; the last one wins, as in Spring. */
export function parseProfiles(profile: string): string[] {
  return profile
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** A file the environment may be built from: `{base}.yml` in the repository root or in a label folder. */
export interface SourceCandidate {
  /** Folder under the repository: '' for the root, or the label. */
  folder: string;
  /** File name without extension, e.g. `gateway-dev`. */
  base: string;
}

/**
 * The files to look for, highest precedence first, following Spring Boot's rules as Spring Cloud
 * Config's native repository applies them (`spring.config.name=application,{app}`):
 * profile-specific files beat plain ones, a later profile beats an earlier one, the label folder
 * beats the root, and `{app}` beats `application`.
 */
export function sourceCandidates(application: string, profiles: string[], label?: string): SourceCandidate[] {
  const names = application === 'application' ? ['application'] : [application, 'application'];
  const folders = label ? [label, ''] : [''];
  const out: SourceCandidate[] = [];
  for (const folder of folders) {
    for (const profile of [...profiles].reverse()) {
      for (const name of names) out.push({ folder, base: `${name}-${profile}` });
    }
  }
  for (const folder of folders) {
    for (const name of names) out.push({ folder, base: name });
  }
  const seen = new Set<string>();
  return out.filter((c) => {
    const key = `${c.folder}/${c.base}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A YAML tree as Spring serves it: flattened keys (`a.b`, `list[0].c`), YAML nulls as empty strings. */
export function toSpringSource(tree: ConfigTree): Record<string, ConfigValue> {
  const flat = flattenConfig(tree);
  for (const [key, value] of Object.entries(flat)) if (value === null) flat[key] = '';
  return flat;
}
