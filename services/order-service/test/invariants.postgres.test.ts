import { sagaInvariantSuite } from './invariant-suite.ts';

// The embedded default: the PostgreSQL-backed queue.
sagaInvariantSuite('the PostgreSQL queue', () => ({}));
