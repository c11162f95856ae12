/** What a bundle's manifest (`*.inputs.json`) holds: every file it was built from, with its content hash. */
export interface BundleInputs {
  key: string;
  inputs: Record<string, string>;
  /** Each input's stamp when it was hashed (fileStamp). */
  stamps?: Record<string, string>;
}

export declare const contentHash: (bytes: Uint8Array) => string;

/** A file's size, modification time and inode: unchanged, its content is taken to be. */
export declare const fileStamp: (stats: { size: number; mtimeMs: number; ino: number }) => string;

/** Hashes files (each once); `stamp` stats them. Undefined for a missing file. */
export interface HashReader {
  (path: string): Promise<string | undefined>;
  stamp(path: string): string | undefined;
}

/** The lockfile's hash: which packages resolve where. */
export declare function lockfileHash(repoRoot: string): Promise<string>;

/** A manifest's key: the build's format, the lockfile, every input's content. */
export declare function buildKey(format: string, lockfile: string, inputs: Record<string, string>): string;

/** A content-hash reader (each file hashed once, 32 files open at most); undefined for a missing file. */
export declare function hashReader(): HashReader;

/** Whether the outputs exist and were built from exactly the files the manifest names, as they are now. */
export declare function isFresh(options: {
  outputs: string[];
  manifest: string;
  format: string;
  lockfile: string;
  hashOf?: HashReader;
}): Promise<boolean>;

/** The launcher's own bundle (compileLauncher in service-build.ts), run by start.mjs. */
export declare const launcherBundle: {
  /** Bumped whenever compileLauncher changes how it builds. */
  readonly format: string;
  readonly source: string;
  readonly output: string;
  readonly manifest: string;
};
