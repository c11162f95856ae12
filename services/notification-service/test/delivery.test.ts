import { deliverySuite } from './delivery-suite.ts';

// The embedded default: events and the fan-out over the PostgreSQL-backed bus.
deliverySuite('PostgreSQL bus', () => ({}));
