/** Who a request is for: pure, no I/O (safe for domain code). */
export type Role = 'USER' | 'AGENT' | 'ADMIN';

/** Every role a token or a service token may carry. */
export const ROLES: readonly Role[] = ['USER', 'AGENT', 'ADMIN'];

/**
 * Whether a user of `role` may do what `required` may: every signed-in user passes USER, an ADMIN
 * passes AGENT (admins can do everything an agent can), and only an ADMIN passes ADMIN.
 */
export function hasRole(role: Role, required: Role): boolean {
  if (required === 'USER') return true;
  if (required === 'AGENT') return role === 'AGENT' || role === 'ADMIN';
  return role === 'ADMIN';
}

/** A role the string is, or undefined. */
export function asRole(value: unknown): Role | undefined {
  return ROLES.find((role) => role === value);
}

/** The signed-in user a request is made for, as the gateway verified it (carried in a service token). */
export interface Identity {
  userId: string;
  email: string;
  role: Role;
}

/** The header that carries a service token (docs/adr/0005); only the kit and the gateway set it. */
export const SERVICE_TOKEN_HEADER = 'x-service-token';
