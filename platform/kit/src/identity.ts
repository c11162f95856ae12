import { context, createContextKey } from '@opentelemetry/api';
import type { Identity } from './identity-headers.ts';

export {
  IDENTITY_HEADERS,
  type Identity,
  identityFromHeaders,
  identityHeaders,
  type Role,
} from './identity-headers.ts';

const IDENTITY_KEY = createContextKey('sagamart.identity');

/** The identity of the request being served, carried in the async context for outgoing calls. */
export function currentIdentity(): Identity | undefined {
  return context.active().getValue(IDENTITY_KEY) as Identity | undefined;
}

export function withIdentity<T>(identity: Identity | undefined, fn: () => T): T {
  return identity ? context.with(context.active().setValue(IDENTITY_KEY, identity), fn) : fn();
}
