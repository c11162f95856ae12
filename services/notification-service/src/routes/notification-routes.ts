import { NotificationIdParams, NotificationView, UnreadCount } from '@sagamart/contracts';
import {
  notFound,
  PageQuery,
  PageSchema,
  ProblemSchema,
  requireIdentity,
  type ServiceApp,
  type ServiceContext,
} from '@sagamart/kit';
import { Type } from 'typebox';
import { notificationModule } from '../app/module.ts';
import { hiddenKinds } from '../domain/visibility.ts';
import type { NotificationDb } from '../infra/schema.ts';

const tags = ['notifications'];
const problems = { 400: ProblemSchema, 401: ProblemSchema };

export function registerNotificationRoutes(app: ServiceApp, ctx: ServiceContext<NotificationDb>): void {
  const { store, readMarks } = notificationModule(ctx);

  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications, newest first',
        querystring: PageQuery,
        response: { 200: PageSchema(NotificationView), ...problems },
      },
    },
    async (req) => {
      const { userId, role } = requireIdentity(req);
      const { page, size } = req.query;
      return store.page(userId, hiddenKinds(role), page, size);
    },
  );

  app.get(
    '/api/notifications/unread-count',
    {
      schema: {
        tags,
        summary: 'How many of my notifications are unread',
        response: { 200: UnreadCount, ...problems },
      },
    },
    async (req) => {
      const { userId, role } = requireIdentity(req);
      return { count: await store.unreadCount(userId, hiddenKinds(role)) };
    },
  );

  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark one of my notifications read',
        params: NotificationIdParams,
        response: { 204: Type.Null(), 404: ProblemSchema, ...problems },
      },
    },
    async (req, reply) => {
      const { userId, role } = requireIdentity(req);
      // Someone else's notification (or an admin copy of a reader no longer admin) is as unknown as a missing one.
      if (!(await readMarks.markRead(userId, hiddenKinds(role), req.params.id)))
        throw notFound('No such notification');
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/notifications/read-all',
    {
      schema: {
        tags,
        summary: 'Mark all my notifications read',
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (req, reply) => {
      const { userId, role } = requireIdentity(req);
      await readMarks.markAllRead(userId, hiddenKinds(role));
      return reply.status(204).send(null);
    },
  );
}
