import { USER_GRADES, USER_STATUSES } from '@sagamart/contracts';
import {
  PageQuery,
  PageSchema,
  requireIdentity,
  type ServiceApp,
  type ServiceContext,
  SortParam,
} from '@sagamart/kit';
import { Type } from 'typebox';
import { ADMIN_SORT_FIELDS } from '../app/admin-users.ts';
import { userModule } from '../app/module.ts';
import type { UserDb } from '../infra/schema.ts';
import { AdminUserChangeBody, AdminUserSchema, problems, UserIdParams } from './schemas.ts';
import { withRuleMessages } from './validation.ts';

const tags = ['admin-users'];

/** Empty filters mean "any", so forms can send every field. */
const optionalFilter = <T extends string>(values: readonly T[]) =>
  Type.Optional(Type.Enum(['' as const, ...values]));

/** User management (ADMIN). */
export function registerAdminRoutes(app: ServiceApp, ctx: ServiceContext<UserDb>): void {
  const { admin } = userModule(ctx);

  app.get(
    '/api/admin/users',
    {
      schema: {
        tags,
        summary: 'Search users',
        description: `searchText matches email or name (case-insensitive). sort (repeatable, default createdAt,desc): one of ${ADMIN_SORT_FIELDS.join(', ')}, then ,asc or ,desc.`,
        querystring: Type.Object({
          ...PageQuery.properties,
          searchText: Type.Optional(Type.String({ maxLength: 100 })),
          status: optionalFilter(USER_STATUSES),
          grade: optionalFilter(USER_GRADES),
          sort: Type.Optional(SortParam),
        }),
        response: { 200: PageSchema(AdminUserSchema), ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return admin.search(req.query);
    },
  );

  app.get(
    '/api/admin/users/:id',
    {
      schema: {
        tags,
        summary: 'One user',
        params: UserIdParams,
        response: { 200: AdminUserSchema, ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return admin.get(req.params.id);
    },
  );

  app.patch(
    '/api/admin/users/:id',
    {
      // Names a field the body may not carry (name, phone) rather than the whole body.
      schemaErrorFormatter: withRuleMessages({}),
      schema: {
        tags,
        summary: 'Change status, grade and/or role',
        description:
          'Publishes user.updated; a suspension blocks login at once and ends the sessions of the user.',
        params: UserIdParams,
        body: AdminUserChangeBody,
        response: { 200: AdminUserSchema, ...problems },
      },
    },
    async (req) => {
      const actor = requireIdentity(req, 'ADMIN');
      return admin.update(actor, req.params.id, req.body);
    },
  );
}
