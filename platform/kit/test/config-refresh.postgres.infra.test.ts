import { pgServerUrl } from '@sagamart/testkit';
import { configRefreshContract } from './config-refresh-contract.ts';

// The PostgreSQL bus on the real server (DATABASE_URL) rather than the embedded one.
configRefreshContract('postgres bus on real PostgreSQL', () => ({}), {
  url: pgServerUrl,
  through: (_shared, proxyUrl) => ({ database: { url: proxyUrl } }),
});
