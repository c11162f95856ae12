import { ProblemSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { encryptorFor } from '../app/encryption.ts';
import { findEnvironment } from '../app/environment.ts';
import { parseProfiles, SAFE_NAME, SAFE_NAME_LIST } from '../domain/property-sources.ts';
// biome-ignore lint/style/noRestrictedImports: the repository's type only; app/ does the reading
import type { ConfigRepository } from '../infra/config-repository.ts';

const safeName = (description: string) => Type.String({ pattern: SAFE_NAME, maxLength: 100, description });

const EnvironmentParams = Type.Object({
  application: safeName('The client application, e.g. gateway (its spring.application.name)'),
  profile: Type.String({
    pattern: SAFE_NAME_LIST,
    maxLength: 100,
    description: 'Active profiles, comma-separated; the last one wins',
  }),
});
const LabelledEnvironmentParams = Type.Object({
  ...EnvironmentParams.properties,
  label: safeName('A sub-folder of the config repository whose files take precedence'),
});

/** Spring Cloud Config's Environment JSON. */
export const EnvironmentSchema = Type.Object({
  name: Type.String(),
  profiles: Type.Array(Type.String()),
  label: Type.Union([Type.String(), Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union([Type.String(), Type.Null()]),
  propertySources: Type.Array(
    Type.Object({
      name: Type.String(),
      source: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
});

export function registerEnvironmentRoutes(
  app: ServiceApp,
  ctx: ServiceContext,
  repository: ConfigRepository,
) {
  const tags = ['environment'];
  const respond = async (application: string, profile: string, label: string | undefined) =>
    findEnvironment(repository, await encryptorFor(ctx.config.optionalString('encrypt.key')), {
      application,
      profiles: parseProfiles(profile),
      label,
    });

  app.get(
    '/:application/:profile',
    {
      schema: {
        tags,
        summary: 'Property sources for an application and its profiles, highest precedence first',
        params: EnvironmentParams,
        response: { 200: EnvironmentSchema, 400: ProblemSchema },
      },
    },
    async (req) => respond(req.params.application, req.params.profile, undefined),
  );

  app.get(
    '/:application/:profile/:label',
    {
      schema: {
        tags,
        summary: 'Property sources, with the files in the label folder taking precedence',
        params: LabelledEnvironmentParams,
        response: { 200: EnvironmentSchema, 400: ProblemSchema },
      },
    },
    async (req) => respond(req.params.application, req.params.profile, req.params.label),
  );
}
