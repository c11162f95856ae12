import { ADDRESS_BOOK_LIMIT, type AddressBody, type AddressView } from '@sagamart/contracts/http/addresses';
import {
  conflict,
  type Kysely,
  type MessagingTables,
  notFound,
  type Selectable,
  type ServiceContext,
  sql,
} from '@sagamart/kit';
import { normalizePhone } from '../domain/user.ts';
import type { UserDb } from '../infra/schema.ts';
import type { Users } from './users.ts';

type AddressRow = Selectable<UserDb['addresses']>;
type Db = Kysely<UserDb & MessagingTables>;

/**
 * The signed-in shopper's address book. Every change locks the user's row first, so two tabs saving at
 * once can neither pass the limit nor leave two defaults (the partial unique index is the backstop).
 * The first address saved is the default; deleting the default hands it to the most recently changed.
 */
export class AddressBook {
  constructor(
    private readonly ctx: ServiceContext<UserDb>,
    private readonly users: Users,
  ) {}

  async list(userId: string): Promise<AddressView[]> {
    await this.users.usableUser(this.ctx.db, userId);
    const rows = await this.ctx.db
      .selectFrom('addresses')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('is_default', 'desc')
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toView);
  }

  async add(userId: string, body: AddressBody): Promise<AddressView> {
    return this.ctx.transaction(async (trx) => {
      await this.users.usableUser(trx, userId, true);
      const { count } = await trx
        .selectFrom('addresses')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= ADDRESS_BOOK_LIMIT)
        throw conflict(
          `The address book holds at most ${ADDRESS_BOOK_LIMIT} addresses; delete one first`,
          'address-book-full',
        );
      const isDefault = Number(count) === 0 || body.isDefault === true;
      if (isDefault) await clearDefault(trx, userId);
      const row = await trx
        .insertInto('addresses')
        .values({ user_id: userId, ...columns(body), is_default: isDefault })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toView(row);
    });
  }

  /** Replaces the address's fields; `isDefault: true` makes it the default (false leaves that as it is). */
  async replace(userId: string, id: string, body: AddressBody): Promise<AddressView> {
    return this.ctx.transaction(async (trx) => {
      await this.users.usableUser(trx, userId, true);
      await this.owned(trx, userId, id);
      if (body.isDefault === true) await clearDefault(trx, userId, id);
      const row = await trx
        .updateTable('addresses')
        .set({
          ...columns(body),
          ...(body.isDefault === true ? { is_default: true } : {}),
          updated_at: sql`clock_timestamp()`,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toView(row);
    });
  }

  async makeDefault(userId: string, id: string): Promise<AddressView> {
    return this.ctx.transaction(async (trx) => {
      await this.users.usableUser(trx, userId, true);
      await this.owned(trx, userId, id);
      await clearDefault(trx, userId, id);
      const row = await trx
        .updateTable('addresses')
        .set({ is_default: true })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toView(row);
    });
  }

  async remove(userId: string, id: string): Promise<void> {
    await this.ctx.transaction(async (trx) => {
      await this.users.usableUser(trx, userId, true);
      const removed = await this.owned(trx, userId, id);
      await trx.deleteFrom('addresses').where('id', '=', id).execute();
      if (!removed.is_default) return;
      const successor = await trx
        .selectFrom('addresses')
        .select('id')
        .where('user_id', '=', userId)
        .orderBy('updated_at', 'desc')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (successor)
        await trx.updateTable('addresses').set({ is_default: true }).where('id', '=', successor.id).execute();
    });
  }

  /** Someone else's address is as absent as a deleted one (404), so ids reveal nothing. */
  private async owned(db: Db, userId: string, id: string): Promise<AddressRow> {
    const row = await db
      .selectFrom('addresses')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) throw notFound('No such address in your address book');
    return row;
  }
}

async function clearDefault(db: Db, userId: string, except?: string): Promise<void> {
  let query = db
    .updateTable('addresses')
    .set({ is_default: false })
    .where('user_id', '=', userId)
    .where('is_default', '=', true);
  if (except) query = query.where('id', '<>', except);
  await query.execute();
}

function columns(body: AddressBody) {
  const blankToNull = (value: string | null | undefined) => (value?.trim() ? value.trim() : null);
  return {
    label: blankToNull(body.label),
    receiver_name: body.receiverName.trim(),
    receiver_phone: normalizePhone(body.receiverPhone) ?? body.receiverPhone,
    zipcode: body.zipcode,
    address: body.address.trim(),
    address_detail: blankToNull(body.addressDetail),
  };
}

function toView(row: AddressRow): AddressView {
  return {
    id: row.id,
    label: row.label,
    receiverName: row.receiver_name,
    receiverPhone: row.receiver_phone,
    zipcode: row.zipcode,
    address: row.address,
    addressDetail: row.address_detail,
    isDefault: row.is_default,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
