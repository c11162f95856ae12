import { PASSWORD_CONFIRM_MESSAGE } from '@sagamart/contracts/rules';
import { badRequest, requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { userModule } from '../app/module.ts';
import type { UserDb } from '../infra/schema.ts';
import { withRetryAfter } from './retry-after.ts';
import {
  FIELD_MESSAGES,
  PasswordChangeBody,
  ProfileSchema,
  ProfileUpdateBody,
  problems,
  SignedUpUser,
  SignupBody,
} from './schemas.ts';
import { withRuleMessages } from './validation.ts';

const tags = ['users'];
const schemaErrorFormatter = withRuleMessages(FIELD_MESSAGES);

/** Signup (public) and the signed-in user's own profile and password (USER). */
export function registerUserRoutes(app: ServiceApp, ctx: ServiceContext<UserDb>): void {
  const { users } = userModule(ctx);

  app.post(
    '/api/users/signup',
    {
      schemaErrorFormatter,
      schema: {
        tags,
        summary: 'Sign up',
        description:
          'Email unique case-insensitively (409 otherwise); password at least 8 characters with a letter, a digit ' +
          'and a special character; passwordConfirm equal to password; name required; phone optional, Korean mobile. ' +
          'The same rules run in the browser (@sagamart/contracts/rules). A login right after signup succeeds.',
        body: SignupBody,
        response: { 201: SignedUpUser, ...problems },
      },
    },
    async (req, reply) => {
      if (req.body.passwordConfirm !== req.body.password) {
        throw badRequest(PASSWORD_CONFIRM_MESSAGE, [
          { field: 'passwordConfirm', message: PASSWORD_CONFIRM_MESSAGE },
        ]);
      }
      const user = await withRetryAfter(reply, () => users.signup(req.body));
      return reply.status(201).send({
        userId: user.id,
        email: user.email,
        name: user.name,
        phone: user.phone,
        createdAt: user.created_at.toISOString(),
      });
    },
  );

  app.get(
    '/api/users/me',
    { schema: { tags, summary: 'My profile', response: { 200: ProfileSchema, ...problems } } },
    async (req) => users.profile(requireIdentity(req).userId),
  );

  app.patch(
    '/api/users/me',
    {
      schemaErrorFormatter,
      schema: {
        tags,
        summary: 'Edit my profile',
        description: 'name and/or phone; phone null or empty removes it.',
        body: ProfileUpdateBody,
        response: { 200: ProfileSchema, ...problems },
      },
    },
    async (req) => users.updateProfile(requireIdentity(req).userId, req.body),
  );

  app.post(
    '/api/users/me/password',
    {
      schemaErrorFormatter,
      schema: {
        tags,
        summary: 'Change my password',
        description: 'Afterwards every refresh token of the user stops working.',
        body: PasswordChangeBody,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (req, reply) => {
      const { userId } = requireIdentity(req);
      await withRetryAfter(reply, () =>
        users.changePassword(userId, req.body.currentPassword, req.body.newPassword),
      );
      return reply.status(204).send(null);
    },
  );
}
