import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ConfigTree, Problem } from '@sagamart/kit';
import { parseAllDocuments } from 'yaml';
import type { SourceCandidate } from '../domain/property-sources.ts';

/** The checkout this service lives in; source names are shown relative to it (`file:config/gateway.yml`). */
export const projectRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/** The repository's own `config/` folder: the default config repository. */
export const bundledConfigRepo = join(projectRoot, 'config');

const EXTENSIONS = ['yml', 'yaml'];

export interface ConfigFile {
  /** Spring-style source name, e.g. `file:config/gateway.yml`. */
  name: string;
  tree: ConfigTree;
}

/**
 * A folder of YAML files, read on every request so edits show up without a restart.
 * Paths are built only from validated names and checked to stay inside the folder.
 */
export class ConfigRepository {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async exists(): Promise<boolean> {
    return stat(this.root).then(
      (s) => s.isDirectory(),
      () => false,
    );
  }

  /** The existing files for the candidates, in the candidates' order (`.yml` before `.yaml`). */
  async read(candidates: SourceCandidate[]): Promise<ConfigFile[]> {
    const files: ConfigFile[] = [];
    for (const candidate of candidates) {
      for (const ext of EXTENSIONS) {
        const file = await this.readOne(join(candidate.folder, `${candidate.base}.${ext}`));
        if (file) files.push(file);
      }
    }
    return files;
  }

  private async readOne(relativePath: string): Promise<ConfigFile | undefined> {
    const path = resolve(this.root, relativePath);
    if (!path.startsWith(this.root + sep)) return undefined;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
      throw error;
    }
    const name = `file:${this.displayPath(path)}`;
    const tree = parseYaml(text, name);
    // Spring adds no property source for an empty file.
    return tree && Object.keys(tree).length > 0 ? { name, tree } : undefined;
  }

  private displayPath(path: string): string {
    const fromProject = relative(projectRoot, path);
    const shown = fromProject.startsWith('..') || isAbsolute(fromProject) ? path : fromProject;
    return shown.split(sep).join('/');
  }
}

function parseYaml(text: string, name: string): ConfigTree | undefined {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return undefined; // an empty stream
  if (documents.length > 1) {
    throw brokenFile(
      name,
      'holds several YAML documents; use one document per file ({app}-{profile}.yml for profiles)',
    );
  }
  const document = documents[0];
  if (!document) return undefined;
  const problem = document.errors[0];
  if (problem) throw brokenFile(name, `is not valid YAML: ${problem.message.split('\n')[0]}`);
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw brokenFile(name, 'must hold a YAML mapping at the top level');
  return value as ConfigTree;
}

// A broken file in the config repository is the server's fault, not the caller's.
const brokenFile = (name: string, why: string) =>
  new Problem(500, `${name} ${why}`, { code: 'invalid-config-file' });
