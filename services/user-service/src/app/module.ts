import type { ServiceContext } from '@sagamart/kit';
import { AuthClient } from '../infra/auth-client.ts';
import type { UserDb } from '../infra/schema.ts';
import { AddressBook } from './addresses.ts';
import { AdminUsers } from './admin-users.ts';
import { ChargeExpiry } from './charge-expiry.ts';
import { PointCharges } from './point-charges.ts';
import { PointReservations } from './point-reservations.ts';
import { Points } from './points.ts';
import { Users } from './users.ts';

/** The use cases of one running user-service, wired once per service context. */
export interface UserModule {
  users: Users;
  points: Points;
  charges: PointCharges;
  /** Expires charges not paid in time (started with the service). */
  chargeExpiry: ChargeExpiry;
  pointReservations: PointReservations;
  admin: AdminUsers;
  addresses: AddressBook;
}

const modules = new WeakMap<ServiceContext<UserDb>, UserModule>();

export function userModule(ctx: ServiceContext<UserDb>): UserModule {
  let module = modules.get(ctx);
  if (!module) {
    const auth = new AuthClient(ctx.client('auth-service'));
    const users = new Users(ctx, auth);
    const points = new Points(ctx, users);
    const charges = new PointCharges(ctx, users, points);
    module = {
      users,
      points,
      charges,
      chargeExpiry: new ChargeExpiry(ctx, charges),
      pointReservations: new PointReservations(ctx, users, points),
      admin: new AdminUsers(ctx, auth),
      addresses: new AddressBook(ctx, users),
    };
    modules.set(ctx, module);
  }
  return module;
}
