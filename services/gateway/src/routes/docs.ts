import fastifySwaggerUi from '@fastify/swagger-ui';
import { type Discovery, notFound, type ServiceApp } from '@sagamart/kit';
import { Type } from 'typebox';
import { request } from 'undici';
import { serviceUnavailable } from '../app/gateway-problems.ts';
// biome-ignore lint/style/noRestrictedImports: the docs proxy streams through the shared upstream connection pool
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
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(page(await specLinks())),
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
        return reply.type('application/json').send(await res.body.text());
      } catch (error) {
        return replyWithProblem(req, reply, error);
      }
    },
  );
}

/** Swagger UI with a picker over the given documents (the spec list is fixed when the page loads). */
function page(specs: SpecLink[]): string {
  // JSON inside <script>: escape `<` so no value can close the tag.
  const urls = JSON.stringify(specs).replaceAll('<', '\\u003c');
  const assets = `${UI_PREFIX}/static`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sagamart API</title>
<link rel="stylesheet" href="${assets}/swagger-ui.css">
<link rel="stylesheet" href="${assets}/index.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assets}/swagger-ui-bundle.js"></script>
<script src="${assets}/swagger-ui-standalone-preset.js"></script>
<script>
window.ui = SwaggerUIBundle({
  urls: ${urls},
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
</script>
</body>
</html>
`;
}
