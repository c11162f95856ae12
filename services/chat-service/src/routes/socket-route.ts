import fastifyWebsocket from '@fastify/websocket';
import { requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { chatModule } from '../app/module.ts';
import type { ChatDb } from '../infra/schema.ts';

/**
 * The largest frame read: one above the protocol's largest (CHAT_CLIENT_FRAME_MAX_BYTES) is answered
 * with an error frame naming its message, not a close its client would answer by sending it again;
 * one above this closes the socket (1009). The gateway's default limit (gateway.socket.maxClientFrameBytes).
 */
const MAX_SOCKET_PAYLOAD_BYTES = 64 * 1024;

/**
 * GET /ws/chat (through the gateway's ws-chat route, which checks the access token, forwards the
 * caller's identity and closes the socket with 4001 when the token expires). Protocol: docs/events.md.
 */
export async function registerSocketRoute(app: ServiceApp, ctx: ServiceContext<ChatDb>): Promise<void> {
  const { hub } = chatModule(ctx);
  // Read before the upgrade answers, so that the socket is sent every message stored once it is open.
  const heldAtOpen = new WeakMap<object, Map<string, number>>();
  await app.register(fastifyWebsocket, {
    options: { maxPayload: MAX_SOCKET_PAYLOAD_BYTES, perMessageDeflate: false },
    // On shutdown, sockets are closed with 1001 (going away) so clients resume on another instance.
    preClose: async () => hub.stop(),
  });
  app.get(
    '/ws/chat',
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (req) => {
        requireIdentity(req);
      },
      preHandler: async (req) => {
        heldAtOpen.set(req, await hub.held(requireIdentity(req)));
      },
    },
    (socket, req) => {
      hub.attach(requireIdentity(req), socket, heldAtOpen.get(req) ?? new Map()).catch((error) => {
        ctx.log.warn({ err: error }, 'chat socket attach failed');
        socket.close(1011, 'internal error');
      });
    },
  );
}
