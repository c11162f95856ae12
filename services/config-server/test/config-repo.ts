import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway config repository folder with YAML files written by the test. */
export async function tempConfigRepo() {
  const dir = await mkdtemp(join(tmpdir(), 'sagamart-config-repo-'));
  return {
    dir,
    /** Source name the server gives a file of this repository. */
    sourceName: (file: string) => `file:${dir}/${file}`,
    async write(file: string, yaml: string) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), yaml);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
