import { pgServerUrl } from '@sagamart/testkit';
import { configRefreshContract } from './config-refresh-contract.ts';

// The embedded default: broadcasts via PostgreSQL NOTIFY on the shared bus database.
configRefreshContract('postgres bus', () => ({}), {
  url: pgServerUrl,
  through: (_shared, proxyUrl) => ({ database: { url: proxyUrl } }),
});
