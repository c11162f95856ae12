import { afterSaleInvariantSuite } from './after-sale-invariant-suite.ts';

// The embedded default: the PostgreSQL-backed queue.
afterSaleInvariantSuite('the PostgreSQL queue', () => ({}));
