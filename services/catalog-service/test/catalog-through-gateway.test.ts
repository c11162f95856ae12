import { gatewayCacheSuite } from './catalog-through-gateway-suite.ts';

gatewayCacheSuite('PostgreSQL bus');
