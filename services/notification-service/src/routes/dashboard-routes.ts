import { AdminDashboard } from '@sagamart/contracts/http/dashboard';
import { ProblemSchema, requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { notificationModule } from '../app/module.ts';
import type { NotificationDb } from '../infra/schema.ts';

export function registerDashboardRoutes(app: ServiceApp, ctx: ServiceContext<NotificationDb>): void {
  const { dashboard } = notificationModule(ctx);

  app.get(
    '/api/admin/dashboard',
    {
      onRequest: async (req) => {
        requireIdentity(req, 'ADMIN');
      },
      schema: {
        tags: ['admin: dashboard'],
        summary:
          "Today's and the week's sales, orders by status, best sellers, low-stock SKUs and open claims, " +
          'from the events as they land (Asia/Seoul days)',
        response: { 200: AdminDashboard, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async () => dashboard.read(ctx.db),
  );
}
