import fastifySwaggerUi from '@fastify/swagger-ui';
import { type Discovery, notFound, type ServiceApp } from '@sagamart/kit';
import { Type } from 'typebox';
import { request } from 'undici';
import { serviceUnavailable } from '../app/gateway-problems.ts';
import { withoutInternalPaths } from '../domain/path-policy.ts';
import { upstreamAgent } from '../infra/upstream-http.ts';
import { replyWithProblem } from './problem-reply.ts';

const SPEC_TIMEOUT_MS = 3_000;
/** Swagger UI's own assets (and the gateway's own API on its own) live under this prefix. */
const UI_PREFIX = '/docs/ui';

interface SpecLink {
  name: string;
  url: string;
}

/**
 * `/docs`: one Swagger UI over every registered service's OpenAPI document, each fetched through
 * discovery from the service's `/openapi.json` and served at `/docs/specs/{service}.json`.
 */
export async function registerDocs(app: ServiceApp, discovery: Discovery, self: string): Promise<void> {
  await app.register(fastifySwaggerUi, { routePrefix: UI_PREFIX });

  const specLinks = async (): Promise<SpecLink[]> => {
    const applications = await discovery.applications();
    const names = [...applications.entries()]
      .filter(([name, instances]) => name !== self && instances.some((i) => i.status === 'UP'))
      .map(([name]) => name)
      .sort();
    return [
      { name: self, url: '/openapi.json' },
      ...names.map((name) => ({ name, url: `/docs/specs/${name}.json` })),
    ];
  };

  app.get('/docs', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(PAGE),
  );

  // The page's script is a file, not inline, so the Content-Security-Policy can forbid inline scripts.
  app.get('/docs/init.js', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(initScript(await specLinks())),
  );

  app.get(
    '/docs/specs',
    {
      schema: {
        tags: ['platform'],
        summary: 'The OpenAPI documents /docs shows, one per registered service',
        response: {
          200: Type.Object({ specs: Type.Array(Type.Object({ name: Type.String(), url: Type.String() })) }),
        },
      },
    },
    async () => ({ specs: await specLinks() }),
  );

  app.get(
    '/docs/specs/:file',
    {
      schema: {
        hide: true,
        params: Type.Object({ file: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*\\.json$' }) }),
      },
    },
    async (req, reply) => {
      const service = req.params.file.slice(0, -'.json'.length);
      try {
        const instance = await discovery.choose(service);
        if (!instance) {
          const known = (await discovery.applications()).has(service);
          throw known
            ? serviceUnavailable({ id: 'docs', service }, 'no-instance')
            : notFound(`No service named ${service} is registered`);
        }
        const res = await request(new URL('/openapi.json', instance.url), {
          dispatcher: upstreamAgent,
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(SPEC_TIMEOUT_MS),
        }).catch((error: Error) => {
          throw serviceUnavailable({ id: 'docs', service }, 'upstream-unavailable', error.message);
        });
        if (res.statusCode !== 200) {
          await res.body.dump();
          throw serviceUnavailable(
            { id: 'docs', service },
            'upstream-unavailable',
            `answered ${res.statusCode}`,
          );
        }
        // Published for callers outside: the /internal operations are no business of theirs.
        const spec = withoutInternalPaths((await res.body.json()) as { paths?: Record<string, unknown> });
        return reply.type('application/json').send(spec);
      } catch (error) {
        return replyWithProblem(req, reply, error);
      }
    },
  );
}

const ASSETS = `${UI_PREFIX}/static`;

/** Swagger UI with a picker over the documents /docs/init.js lists. */
const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sagamart API</title>
<link rel="stylesheet" href="${ASSETS}/swagger-ui.css">
<link rel="stylesheet" href="${ASSETS}/index.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${ASSETS}/swagger-ui-bundle.js"></script>
<script src="${ASSETS}/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

/** Starts Swagger UI over the given documents (the spec list is fixed when the page loads). */
function initScript(specs: SpecLink[]): string {
  return `window.ui = SwaggerUIBundle({
  urls: ${JSON.stringify(specs)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;
}
