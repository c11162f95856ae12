import { type Static, Type } from 'typebox';
import { ADDRESS_DETAIL_MAX_LENGTH, ADDRESS_MAX_LENGTH, PHONE_PATTERN_SOURCE } from '../rules.ts';

/** How many addresses one shopper may keep (a 409 `address-book-full` beyond it). */
export const ADDRESS_BOOK_LIMIT = 10;

/**
 * A saved delivery address (user-service's address book). The fields are an order's delivery fields,
 * so checkout fills its form from one as it is; `label` names it for the shopper ("집", "회사").
 */
export const AddressBody = Type.Object(
  {
    label: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
    receiverName: Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' }),
    receiverPhone: Type.String({
      pattern: PHONE_PATTERN_SOURCE,
      description: '010-1234-5678 or 01012345678',
    }),
    zipcode: Type.String({ pattern: '^[0-9]{5}$' }),
    // An order's limits, so a saved address can always be ordered to and shipped.
    address: Type.String({ minLength: 1, maxLength: ADDRESS_MAX_LENGTH, pattern: '\\S' }),
    addressDetail: Type.Optional(
      Type.Union([Type.String({ maxLength: ADDRESS_DETAIL_MAX_LENGTH }), Type.Null()]),
    ),
    /** Make this the default; the first address saved is the default whatever this says. */
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AddressBody = Static<typeof AddressBody>;

export const AddressView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  label: Type.Union([Type.String(), Type.Null()]),
  receiverName: Type.String(),
  receiverPhone: Type.String(),
  zipcode: Type.String(),
  address: Type.String(),
  addressDetail: Type.Union([Type.String(), Type.Null()]),
  isDefault: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type AddressView = Static<typeof AddressView>;

/** The default first, then the most recently changed. */
export const AddressList = Type.Array(AddressView, { maxItems: ADDRESS_BOOK_LIMIT });
export type AddressList = Static<typeof AddressList>;

export const AddressIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
