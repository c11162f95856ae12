import { UserRegistered, UserUpdated } from '@sagamart/contracts';
import { defineService, on } from '@sagamart/kit';
import { chatModule, startChat, stopChat } from './app/module.ts';
import { chatDefaults } from './app/settings.ts';
import { type ChatDb, migrations } from './infra/schema.ts';
import { registerAgentRoutes } from './routes/agent-routes.ts';
import { registerChatRoutes } from './routes/chat-routes.ts';
import { registerSocketRoute } from './routes/socket-route.ts';

export type { ChatDb } from './infra/schema.ts';

export default defineService<ChatDb>({
  name: 'chat-service',
  port: 8090,
  description:
    'Customer–agent live chat: a queue with positions, least-busy assignment under a cap, transfer, canned ' +
    'answers, transcripts; messages with a per-conversation seq over a resumable WebSocket at /ws/chat, ' +
    'fanned out across instances on the chat-message channel.',
  defaults: chatDefaults,
  refreshable: [
    'chat.assignment',
    'chat.rateLimit.messages',
    'chat.rateLimit.perSeconds',
    'chat.queue',
    'chat.socket.maxBufferedBytes',
  ],
  migrations,
  handlers: (ctx) => {
    const { users, chat } = chatModule(ctx);
    return [
      on(UserRegistered, (user, { trx }) => users.apply(trx, user)),
      on(UserUpdated, async (user, { trx, afterCommit }) => {
        await users.apply(trx, user);
        // A suspended or demoted agent answers no more: their OPEN conversations go back to the queue.
        const released = await chat.releaseIfRevoked(trx, user.userId);
        if (released.length)
          afterCommit(() => {
            chat
              .requeued(released)
              .catch((error) => ctx.log.warn({ err: error }, 'chat requeue after user.updated failed'));
          });
      }),
    ];
  },
  routes: async (app, ctx) => {
    registerChatRoutes(app, ctx);
    registerAgentRoutes(app, ctx);
    await registerSocketRoute(app, ctx);
  },
  onStart: (ctx) => startChat(ctx),
  onStop: (ctx) => stopChat(ctx),
});
