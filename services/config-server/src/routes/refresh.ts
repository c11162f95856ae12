import { ProblemSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { broadcastRefresh } from '../app/bus-refresh.ts';
import { SAFE_NAME } from '../domain/property-sources.ts';

const Destination = Type.String({
  pattern: SAFE_NAME,
  maxLength: 100,
  description: 'A service name; omit for all',
});
const RefreshBody = Type.Object({ destination: Type.Optional(Destination) }, { additionalProperties: false });
const Refreshed = Type.Object({
  refreshed: Type.String({ description: "The service told to refresh, or '*'" }),
});

export async function registerRefreshRoutes(app: ServiceApp, ctx: ServiceContext) {
  const tags = ['refresh'];
  const response = { 202: Refreshed, 400: ProblemSchema, 503: ProblemSchema };

  await app.register(async (plugin) => {
    // The child scope keeps the TypeBox provider of its parent.
    const scope = plugin as unknown as ServiceApp;
    // The body is optional: accept a bare POST, with or without a JSON content type.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      const text = (body as string).trim();
      if (text === '') return done(null, {});
      try {
        done(null, JSON.parse(text));
      } catch {
        done(
          Object.assign(new Error('Body is not valid JSON'), { statusCode: 400, code: 'bad-request' }),
          undefined,
        );
      }
    });
    scope.addHook('preValidation', async (req) => {
      req.body ??= {};
    });

    for (const url of ['/refresh', '/actuator/busrefresh']) {
      scope.post(
        url,
        {
          schema: {
            tags,
            summary: 'Tell running services to re-read their config (all, or one service by name)',
            body: RefreshBody,
            response,
          },
        },
        async (req, reply) =>
          reply.status(202).send({ refreshed: await broadcastRefresh(ctx.transport, req.body.destination) }),
      );
    }

    scope.post(
      '/actuator/busrefresh/:destination',
      {
        schema: {
          tags,
          summary: 'Spring Cloud Bus form: refresh one service',
          params: Type.Object({ destination: Destination }),
          response,
        },
      },
      async (req, reply) =>
        reply.status(202).send({ refreshed: await broadcastRefresh(ctx.transport, req.params.destination) }),
    );
  });
}
