export * from './catalog.ts';
export { defineEvent, type EventContract, type EventPayload, type Topology } from './define.ts';
export * from './identity.ts';
export * from './notifications.ts';
export * from './numbers.ts';
export * from './ordering.ts';
export * from './points.ts';
export * from './shipping.ts';
export { topology } from './topology.ts';
