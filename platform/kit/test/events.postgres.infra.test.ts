import { transportContract } from './transport-contract.ts';

// The PostgreSQL queue on the real server (DATABASE_URL) rather than the embedded one.
transportContract('postgres queue on real PostgreSQL', () => ({}));
