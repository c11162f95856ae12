/** Configuration trees: pure functions, no I/O (safe for domain code through `@sagamart/kit/pure`). */
export type ConfigTree = { [key: string]: ConfigValue };
export type ConfigValue = string | number | boolean | null | ConfigValue[] | ConfigTree;

/** The property-source shape Spring Cloud Config answers with at GET /{application}/{profile}. */
export interface ConfigEnvironment {
  name: string;
  profiles: string[];
  label: string | null;
  version: string | null;
  state: string | null;
  propertySources: Array<{ name: string; source: Record<string, ConfigValue> }>;
}

/**
 * A `{cipher}` value the config server cannot decrypt (another key) is served under this prefix, as
 * Spring does (`invalid.<key>: <n/a>`), so the client never reads it as the real value.
 */
export const UNDECRYPTABLE_KEY_PREFIX = 'invalid.';

export const isTree = (v: unknown): v is ConfigTree =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge; arrays and scalars from `over` replace those in `base`. */
export function mergeConfig(base: ConfigTree, over: ConfigTree): ConfigTree {
  const out: ConfigTree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isTree(current) && isTree(value) ? mergeConfig(current, value) : value;
  }
  return out;
}

/** Spring's flattened keys: `a.b`, `list[0].c`. */
export function flattenConfig(tree: ConfigValue, prefix = '', out: Record<string, ConfigValue> = {}) {
  if (Array.isArray(tree)) {
    if (tree.length === 0 && prefix) out[prefix] = [];
    for (const [i, v] of tree.entries()) flattenConfig(v, `${prefix}[${i}]`, out);
  } else if (isTree(tree)) {
    if (Object.keys(tree).length === 0 && prefix) out[prefix] = {};
    for (const [k, v] of Object.entries(tree)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = tree;
  }
  return out;
}

export function unflattenConfig(flat: Record<string, ConfigValue>): ConfigTree {
  const root: ConfigTree = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split(/\.|(?=\[)/).map((p) => (p.startsWith('[') ? Number(p.slice(1, -1)) : p));
    let node: any = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = value;
        return;
      }
      const nextIsIndex = typeof parts[i + 1] === 'number';
      node[part] ??= nextIsIndex ? [] : {};
      node = node[part];
    });
  }
  return root;
}
