/** What a bundle's manifest (`*.inputs.json`) holds: every file it was built from, with its content hash. */
export interface BundleInputs {
  key: string;
  inputs: Record<string, string>;
}

export declare const contentHash: (bytes: Uint8Array) => string;

/** The lockfile's hash: which packages resolve where. */
export declare function lockfileHash(repoRoot: string): Promise<string>;

/** A manifest's key: the build's format, the lockfile, every input's content. */
export declare function buildKey(format: string, lockfile: string, inputs: Record<string, string>): string;

/** A content-hash reader (each file hashed once, 32 files open at most); undefined for a missing file. */
export declare function hashReader(): (path: string) => Promise<string | undefined>;

/** Whether the outputs exist and were built from exactly the files the manifest names, as they are now. */
export declare function isFresh(options: {
  outputs: string[];
  manifest: string;
  format: string;
  lockfile: string;
  hashOf?: (path: string) => Promise<string | undefined>;
}): Promise<boolean>;

/** The launcher's own bundle (compileLauncher in service-build.ts), run by start.mjs. */
export declare const launcherBundle: {
  /** Bumped whenever compileLauncher changes how it builds. */
  readonly format: string;
  readonly source: string;
  readonly output: string;
  readonly manifest: string;
};
