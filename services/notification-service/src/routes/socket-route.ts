import fastifyWebsocket from '@fastify/websocket';
import { requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { notificationModule } from '../app/module.ts';
import { hiddenKinds } from '../domain/visibility.ts';
import type { NotificationDb } from '../infra/schema.ts';

/** Client messages are tiny ({type:'resume',since}); anything larger is refused by the socket. */
const MAX_CLIENT_MESSAGE_BYTES = 1_024;

/**
 * GET /ws/notifications (through the gateway's ws-notifications route, which checks the access token
 * and forwards the caller's identity). The protocol is in docs/events.md.
 */
export async function registerSocketRoute(
  app: ServiceApp,
  ctx: ServiceContext<NotificationDb>,
): Promise<void> {
  const { hub } = notificationModule(ctx);
  await app.register(fastifyWebsocket, {
    options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false },
    // On shutdown, sockets are closed with 1001 (going away) so clients resume on another instance.
    preClose: async () => hub.stop(),
  });
  app.get(
    '/ws/notifications',
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (req) => {
        requireIdentity(req);
      },
    },
    (socket, req) => {
      const { userId, role } = requireIdentity(req);
      hub.attach(userId, hiddenKinds(role), socket);
    },
  );
}
