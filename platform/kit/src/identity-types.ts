/** Who a request is for: pure, no I/O (safe for domain code). */
export type Role = 'USER' | 'ADMIN';

/** The signed-in user a request is made for, as the gateway verified it (carried in a service token). */
export interface Identity {
  userId: string;
  email: string;
  role: Role;
}

/** The header that carries a service token (docs/adr/0005); only the kit and the gateway set it. */
export const SERVICE_TOKEN_HEADER = 'x-service-token';
