import {
  ChatMessage,
  ConversationParams,
  ConversationView,
  MessagePage,
  MessagesQuery,
  MyConversations,
  OpenConversationBody,
  ReadBody,
  SendMessageBody,
  TranscriptQuery,
} from '@sagamart/contracts/http/chat';
import {
  problemResponses,
  requireIdentity,
  type ServiceApp,
  type ServiceContext,
  withRetryAfter,
} from '@sagamart/kit';
import { Type } from 'typebox';
import { chatModule } from '../app/module.ts';
import type { ChatDb } from '../infra/schema.ts';

const tags = ['chat'];
const problems = problemResponses(400, 401, 403, 404, 409, 422, 429, 502, 503, 504);

/** The customer's side over HTTP (/api/chat); the same checks apply to agents and admins reading here. */
export function registerChatRoutes(app: ServiceApp, ctx: ServiceContext<ChatDb>): void {
  const { chat } = chatModule(ctx);

  app.post(
    '/api/chat/conversations',
    {
      schema: {
        tags,
        summary: 'Open a conversation (or get my active one), optionally about one of my orders',
        description:
          '201 with a new WAITING conversation, or 200 with the active one (one per customer). Agents and admins answer conversations and cannot open one (403).',
        body: Type.Optional(OpenConversationBody),
        response: { 200: ConversationView, 201: ConversationView, ...problems },
      },
    },
    async (req, reply) => {
      const opened = await chat.open(requireIdentity(req), req.body?.orderId);
      return reply.status(opened.created ? 201 : 200).send(opened.view);
    },
  );

  app.get(
    '/api/chat/conversations/mine',
    {
      schema: {
        tags,
        summary: 'My conversations: the active one first, then the newest',
        response: { 200: MyConversations, ...problems },
      },
    },
    async (req) => ({ content: await chat.mine(requireIdentity(req)) }),
  );

  app.get(
    '/api/chat/conversations/:id',
    {
      schema: {
        tags,
        summary: 'One conversation (404 unless I may read it)',
        params: ConversationParams,
        response: { 200: ConversationView, ...problems },
      },
    },
    async (req) => chat.get(requireIdentity(req), req.params.id),
  );

  app.get(
    '/api/chat/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'A page of history: ascending within the page, older pages with before={seq}',
        params: ConversationParams,
        querystring: MessagesQuery,
        response: { 200: MessagePage, ...problems },
      },
    },
    async (req) => chat.history(requireIdentity(req), req.params.id, req.query.before, req.query.limit),
  );

  app.post(
    '/api/chat/conversations/:id/messages',
    {
      schema: {
        tags,
        summary:
          'Send a message (the socket frame over HTTP); a resend with the same clientMessageId answers the stored one',
        params: ConversationParams,
        body: SendMessageBody,
        response: { 200: ChatMessage, 201: ChatMessage, ...problems },
      },
    },
    async (req, reply) =>
      withRetryAfter(reply, async () => {
        const sent = await chat.send(
          requireIdentity(req),
          req.params.id,
          req.body.clientMessageId,
          req.body.text,
        );
        return reply.status(sent.duplicate ? 200 : 201).send(sent.message);
      }),
  );

  app.post(
    '/api/chat/conversations/:id/read',
    {
      schema: {
        tags,
        summary: 'My side has read up to seq (the other side sees a read mark)',
        params: ConversationParams,
        body: ReadBody,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (req, reply) => {
      await chat.markRead(requireIdentity(req), req.params.id, req.body.seq);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/chat/conversations/:id/transcript',
    {
      schema: {
        tags,
        summary: 'The whole conversation as text (a download)',
        params: ConversationParams,
        querystring: TranscriptQuery,
        produces: ['text/plain'],
        response: { 200: Type.String(), ...problems },
      },
    },
    async (req, reply) => {
      const transcript = await chat.transcript(requireIdentity(req), req.params.id, req.query.lang ?? 'ko');
      return reply
        .header('content-type', 'text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="${transcript.filename}"`)
        .send(transcript.text);
    },
  );
}
