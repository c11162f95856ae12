import type { Topology } from './define.ts';

/**
 * The declared messaging topology: queue (one per consuming service) → event names it consumes.
 * A service's consumers must match its entry here; the kit checks that at start.
 */
export const topology: Topology = {};
