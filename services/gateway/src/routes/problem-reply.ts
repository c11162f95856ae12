import { Problem, sendProblem } from '@sagamart/kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayProblem } from '../app/gateway-problems.ts';

/** Sends a problem with its own headers (WWW-Authenticate, Retry-After…); anything else is rethrown. */
export function replyWithProblem(req: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!(error instanceof Problem)) throw error;
  if (error instanceof GatewayProblem) reply.headers(error.headers);
  return sendProblem(req, reply, error);
}
