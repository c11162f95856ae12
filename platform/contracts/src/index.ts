export { defineEvent, type EventContract, type EventPayload, type Topology } from './define.ts';
export { topology } from './topology.ts';
