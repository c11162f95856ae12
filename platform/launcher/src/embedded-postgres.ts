// The implementation is plain JavaScript so that the PostgreSQL host process runs without tsx
// (postgres-host.mjs); tests and benches start the server through this module.
export {
  type EmbeddedPostgresOptions,
  type EmbeddedPostgresServer,
  startEmbeddedPostgres,
} from './embedded-postgres-server.mjs';
