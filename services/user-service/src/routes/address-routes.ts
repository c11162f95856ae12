import { AddressBody, AddressIdParams, AddressList, AddressView } from '@sagamart/contracts/http/addresses';
import { PHONE_RULE_MESSAGE } from '@sagamart/contracts/rules';
import { requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { userModule } from '../app/module.ts';
import type { UserDb } from '../infra/schema.ts';
import { problems } from './schemas.ts';
import { withRuleMessages } from './validation.ts';

const tags = ['addresses'];
const schemaErrorFormatter = withRuleMessages({ receiverPhone: { pattern: PHONE_RULE_MESSAGE } });

/** The signed-in user's own address book (USER): only ever the caller's addresses. */
export function registerAddressRoutes(app: ServiceApp, ctx: ServiceContext<UserDb>): void {
  const { addresses } = userModule(ctx);

  app.get(
    '/api/users/me/addresses',
    {
      schema: {
        tags,
        summary: 'My saved addresses, the default first',
        response: { 200: AddressList, ...problems },
      },
    },
    async (req) => addresses.list(requireIdentity(req).userId),
  );

  app.post(
    '/api/users/me/addresses',
    {
      schemaErrorFormatter,
      schema: {
        tags,
        summary: 'Save an address',
        description:
          'The first address is the default; isDefault makes a later one the default. At most 10 (409 address-book-full).',
        body: AddressBody,
        response: { 201: AddressView, ...problems },
      },
    },
    async (req, reply) => reply.status(201).send(await addresses.add(requireIdentity(req).userId, req.body)),
  );

  app.put(
    '/api/users/me/addresses/:id',
    {
      schemaErrorFormatter,
      schema: {
        tags,
        summary: 'Change a saved address',
        description: 'isDefault true makes it the default; false or absent leaves the default as it is.',
        params: AddressIdParams,
        body: AddressBody,
        response: { 200: AddressView, ...problems },
      },
    },
    async (req) => addresses.replace(requireIdentity(req).userId, req.params.id, req.body),
  );

  app.post(
    '/api/users/me/addresses/:id/default',
    {
      schema: {
        tags,
        summary: 'Make a saved address the default',
        params: AddressIdParams,
        response: { 200: AddressView, ...problems },
      },
    },
    async (req) => addresses.makeDefault(requireIdentity(req).userId, req.params.id),
  );

  app.delete(
    '/api/users/me/addresses/:id',
    {
      schema: {
        tags,
        summary: 'Delete a saved address',
        description: 'Deleting the default makes the most recently changed remaining address the default.',
        params: AddressIdParams,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (req, reply) => {
      await addresses.remove(requireIdentity(req).userId, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
