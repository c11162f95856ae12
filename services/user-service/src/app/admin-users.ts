import { type UserGrade, type UserStatus, UserUpdated } from '@sagamart/contracts';
import {
  badRequest,
  conflict,
  fetchPage,
  type Identity,
  likeContains,
  notFound,
  parseSort,
  type ServiceContext,
  sql,
} from '@sagamart/kit';
import { type AccessPatch, diffAccess, selfChangeViolation } from '../domain/user.ts';
import type { AuthClient } from '../infra/auth-client.ts';
import type { UserDb } from '../infra/schema.ts';
import { toProfile, type UserRow, updatedEvent } from './views.ts';

export const ADMIN_SORT_FIELDS = ['createdAt', 'updatedAt', 'email', 'name', 'status', 'grade'] as const;
const SORT_COLUMNS = {
  createdAt: sql`users.created_at`,
  updatedAt: sql`users.updated_at`,
  email: sql`users.email`,
  // Alphabetical regardless of case and of the database collation.
  name: sql`lower(users.name)`,
  status: sql`users.status`,
  grade: sql`users.grade`,
} as const;

export interface UserSearch {
  searchText?: string | undefined;
  status?: UserStatus | '' | undefined;
  grade?: UserGrade | '' | undefined;
  page: number;
  size: number;
  /** Spring form, repeatable: `createdAt,desc` (the default), `name,asc`… */
  sort?: readonly string[] | undefined;
}

/** Admin user management. */
export class AdminUsers {
  constructor(
    private readonly ctx: ServiceContext<UserDb>,
    private readonly auth: AuthClient,
  ) {}

  async search(query: UserSearch) {
    const parsed = parseSort(query.sort, { fields: ADMIN_SORT_FIELDS });
    const sort = parsed.length ? parsed : [{ field: 'createdAt', direction: 'desc' } as const];
    let base = this.ctx.db.selectFrom('users');
    const text = query.searchText?.trim();
    if (text) {
      const pattern = likeContains(text);
      base = base.where((eb) =>
        eb.or([eb('users.email', 'ilike', pattern), eb('users.name', 'ilike', pattern)]),
      );
    }
    if (query.status) base = base.where('users.status', '=', query.status);
    if (query.grade) base = base.where('users.grade', '=', query.grade);
    return fetchPage(
      base,
      (q) =>
        q
          .leftJoin('point_accounts', 'point_accounts.user_id', 'users.id')
          .selectAll('users')
          .select('point_accounts.balance')
          .$call((q) => sort.reduce((sorted, o) => sorted.orderBy(SORT_COLUMNS[o.field], o.direction), q))
          .orderBy('users.id', sort.at(-1)!.direction),
      query,
      (rows) => rows.map((r) => toAdminView(r, r.balance)),
    );
  }

  async get(userId: string) {
    const row = await this.ctx.db
      .selectFrom('users')
      .leftJoin('point_accounts', 'point_accounts.user_id', 'users.id')
      .selectAll('users')
      .select('point_accounts.balance')
      .where('users.id', '=', userId)
      .executeTakeFirst();
    if (!row) throw notFound('No such user');
    return toAdminView(row, row.balance);
  }

  /**
   * Changes status, grade and/or role and publishes `user.updated`. A role or status change is
   * also pushed to auth right away, so a suspension blocks login at once; if auth is unreachable
   * the event delivers it later.
   */
  async update(actor: Identity, userId: string, patch: AccessPatch) {
    if (patch.status === undefined && patch.grade === undefined && patch.role === undefined) {
      throw badRequest('Nothing to update: send status, grade and/or role');
    }
    const result = await this.ctx.transaction(async (trx) => {
      const current = await trx
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw notFound('No such user');
      const { next, changes } = diffAccess(current, patch);
      const refusal = selfChangeViolation(actor.userId, userId, changes);
      if (refusal) throw conflict(refusal, 'self-change');
      if (changes.length === 0) return { user: current, changes };
      const user = await trx
        .updateTable('users')
        .set({
          role: next.role,
          status: next.status,
          grade: next.grade,
          version: current.version + 1,
          updated_at: sql`clock_timestamp()`,
        })
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.ctx.publish(trx, UserUpdated, updatedEvent(user, changes));
      return { user, changes };
    });
    if (result.changes.includes('role') || result.changes.includes('status')) {
      await this.auth.pushSnapshot(updatedEvent(result.user, result.changes)).catch((error: unknown) => {
        this.ctx.log.warn(
          { err: error, userId },
          'could not push the change to auth-service; the event will deliver it',
        );
      });
    }
    return this.get(userId);
  }
}

function toAdminView(user: UserRow, balance: number | null) {
  return { ...toProfile(user), version: user.version, pointBalance: balance ?? 0 };
}
