import { NOTIFICATION_KINDS, type NotificationKind } from '@sagamart/contracts';
import { hasRole, type Role } from '@sagamart/kit/pure';

/** The admin copies (contracts' ADMIN_ kinds): they show other customers' order numbers and amounts. */
export const ADMIN_KINDS: readonly NotificationKind[] = NOTIFICATION_KINDS.filter((kind) =>
  kind.startsWith('ADMIN_'),
);

/**
 * The kinds a reader may not see, by the role their token carries now (a role change revokes tokens,
 * so it is current): a demoted admin's copies stay stored but unseen (list, count, marks, socket), and
 * show again, as they were left, if they are made admin again.
 */
export function hiddenKinds(role: Role): readonly NotificationKind[] {
  return hasRole(role, 'ADMIN') ? [] : ADMIN_KINDS;
}
