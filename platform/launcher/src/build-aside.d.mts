import type { BuildRequest } from './service-bundles.ts';

/** Runs service-build-process.ts under tsx in a child process; resolves with what the build returned. */
export declare function buildAside(request: BuildRequest): Promise<unknown>;
