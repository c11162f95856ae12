import {
  AgentConversationsQuery,
  AgentList,
  AssignBody,
  CannedAnswer,
  CannedAnswerBody,
  CannedAnswerList,
  CannedAnswerParams,
  ConversationParams,
  ConversationView,
  CustomerOrdersQuery,
  CustomerParams,
  TransferBody,
} from '@sagamart/contracts/http/chat';
import { OrderSummary } from '@sagamart/contracts/http/orders';
import {
  badRequest,
  PageSchema,
  problemResponses,
  requireIdentity,
  type ServiceApp,
  type ServiceContext,
} from '@sagamart/kit';
import { Type } from 'typebox';
import { chatModule } from '../app/module.ts';
import { checkText } from '../domain/conversation.ts';
import type { ChatDb } from '../infra/schema.ts';

const tags = ['agent'];
const problems = problemResponses(400, 401, 403, 404, 409, 422, 502, 503, 504);
const agent = (req: Parameters<typeof requireIdentity>[0]) => requireIdentity(req, 'AGENT');

/** The agent console (/api/agent): AGENT or ADMIN, checked here as well as at the gateway. */
export function registerAgentRoutes(app: ServiceApp, ctx: ServiceContext<ChatDb>): void {
  const { chat, canned } = chatModule(ctx);

  app.get(
    '/api/agent/conversations',
    {
      schema: {
        tags,
        summary:
          'The queue (WAITING, oldest first), or my OPEN or RESOLVED conversations (an admin: everyone’s)',
        querystring: AgentConversationsQuery,
        response: { 200: PageSchema(ConversationView), ...problems },
      },
    },
    async (req) => chat.forAgent(agent(req), req.query.status, req.query.page, req.query.size),
  );

  app.get(
    '/api/agent/conversations/:id',
    {
      schema: {
        tags,
        summary: 'One conversation in the queue or assigned to me (an admin: any)',
        params: ConversationParams,
        response: { 200: ConversationView, ...problems },
      },
    },
    async (req) => chat.get(agent(req), req.params.id),
  );

  app.post(
    '/api/agent/conversations/:id/assign',
    {
      schema: {
        tags,
        summary:
          'Take a conversation (empty body) or assign it to an agent ({agentId}); the cap does not apply',
        params: ConversationParams,
        body: Type.Optional(AssignBody),
        response: { 200: ConversationView, ...problems },
      },
    },
    async (req) => chat.assign(agent(req), req.params.id, req.body?.agentId),
  );

  app.post(
    '/api/agent/conversations/:id/transfer',
    {
      schema: {
        tags,
        summary: 'Transfer an OPEN conversation I hold to another agent (an admin: any)',
        params: ConversationParams,
        body: TransferBody,
        response: { 200: ConversationView, ...problems },
      },
    },
    async (req) => chat.transfer(agent(req), req.params.id, req.body.agentId),
  );

  app.post(
    '/api/agent/conversations/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve a conversation (a new customer message reopens it)',
        params: ConversationParams,
        response: { 200: ConversationView, ...problems },
      },
    },
    async (req) => chat.resolve(agent(req), req.params.id),
  );

  app.get(
    '/api/agent/agents',
    {
      schema: {
        tags,
        summary: 'Agents and admins, online or not, with their open conversations (for transfers)',
        response: { 200: AgentList, ...problems },
      },
    },
    async (req) => {
      agent(req);
      return { content: await chat.agents() };
    },
  );

  app.get(
    '/api/agent/customers/:userId/orders',
    {
      schema: {
        tags,
        summary:
          "A customer's orders, read-only: an agent only while one of the customer's conversations is assigned to them",
        params: CustomerParams,
        querystring: CustomerOrdersQuery,
        response: { 200: PageSchema(OrderSummary), ...problems },
      },
    },
    async (req) => chat.customerOrders(agent(req), req.params.userId, req.query.page, req.query.size),
  );

  app.get(
    '/api/agent/canned-answers',
    { schema: { tags, summary: 'The canned answers', response: { 200: CannedAnswerList, ...problems } } },
    async (req) => {
      agent(req);
      return { content: await canned.list() };
    },
  );

  app.post(
    '/api/agent/canned-answers',
    {
      schema: {
        tags,
        summary: 'Add a canned answer (short codes are unique: 409)',
        body: CannedAnswerBody,
        response: { 201: CannedAnswer, ...problems },
      },
    },
    async (req, reply) => {
      const by = agent(req).userId;
      return reply.status(201).send(await canned.create(cannedAnswer(req.body), by));
    },
  );

  app.put(
    '/api/agent/canned-answers/:id',
    {
      schema: {
        tags,
        summary: 'Change a canned answer',
        params: CannedAnswerParams,
        body: CannedAnswerBody,
        response: { 200: CannedAnswer, ...problems },
      },
    },
    async (req) => {
      agent(req);
      return canned.update(req.params.id, cannedAnswer(req.body));
    },
  );

  app.delete(
    '/api/agent/canned-answers/:id',
    {
      schema: {
        tags,
        summary: 'Remove a canned answer',
        params: CannedAnswerParams,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (req, reply) => {
      agent(req);
      await canned.remove(req.params.id);
      return reply.status(204).send(null);
    },
  );
}

/** A canned answer is a message an agent sends: its text follows the messages' rule. */
function cannedAnswer(body: CannedAnswerBody): CannedAnswerBody {
  const refused = checkText(body.content);
  if (refused) throw badRequest(refused.message, [{ field: 'content', message: refused.message }]);
  return body;
}
