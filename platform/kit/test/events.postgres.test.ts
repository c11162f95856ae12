import { transportContract } from './transport-contract.ts';

// The embedded default: the PostgreSQL-backed queue on the test run's server.
transportContract('postgres queue', () => ({}));
