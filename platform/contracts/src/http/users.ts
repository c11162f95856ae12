import { Type } from 'typebox';
import { USER_GRADES, USER_ROLES, USER_STATUSES } from '../identity.ts';
import {
  EMAIL_MAX_LENGTH,
  EMAIL_PATTERN_SOURCE,
  NAME_FORBIDDEN_CHARACTER_SOURCE,
  NAME_MAX_LENGTH,
  NAME_PATTERN_SOURCE,
  PASSWORD_MAX_LENGTH,
  PASSWORD_PATTERN_SOURCE,
  PHONE_PATTERN_SOURCE,
} from '../rules.ts';

// Enums rather than unions of literals: one clear validation error per field.
export const RoleSchema = Type.Enum(USER_ROLES);
export const StatusSchema = Type.Enum(USER_STATUSES);
export const GradeSchema = Type.Enum(USER_GRADES);

export const EmailSchema = Type.String({ maxLength: EMAIL_MAX_LENGTH, pattern: EMAIL_PATTERN_SOURCE });
export const PasswordSchema = Type.String({
  maxLength: PASSWORD_MAX_LENGTH,
  pattern: PASSWORD_PATTERN_SOURCE,
});
/** Not blank (`pattern`), and no control or formatting character anywhere (`not`): two messages. */
export const NameSchema = Type.String({
  maxLength: NAME_MAX_LENGTH,
  pattern: NAME_PATTERN_SOURCE,
  not: { pattern: NAME_FORBIDDEN_CHARACTER_SOURCE },
});
/** Empty means "no phone". */
export const PhoneSchema = Type.Union([Type.String({ pattern: `^$|${PHONE_PATTERN_SOURCE}` }), Type.Null()]);

export const ProfileSchema = Type.Object({
  userId: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  status: StatusSchema,
  grade: GradeSchema,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const AdminUserSchema = Type.Object({
  ...ProfileSchema.properties,
  version: Type.Integer(),
  pointBalance: Type.Integer(),
});

export const LedgerEntrySchema = Type.Object({
  id: Type.String(),
  type: Type.String({
    description:
      'CHARGE (+, a paid charge), REFUND (−, a refunded charge), or an order step: RESERVE (−), COMMIT (0, paid), RELEASE (+, returned)',
  }),
  amount: Type.Integer({ description: 'Signed won: positive adds to the balance' }),
  balanceAfter: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

/** `passwordConfirm` must equal `password` (checked by the route, with the shared rule's message). */
export const SignupBody = Type.Object({
  email: EmailSchema,
  password: PasswordSchema,
  passwordConfirm: Type.String({ maxLength: 256 }),
  name: NameSchema,
  phone: Type.Optional(PhoneSchema),
});

export const SignedUpUser = Type.Object({
  userId: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

/** Phone null or empty removes it. Any other field is refused, not ignored: role, status and grade are the admin's. */
export const ProfileUpdateBody = Type.Object(
  {
    name: Type.Optional(NameSchema),
    phone: Type.Optional(PhoneSchema),
  },
  { additionalProperties: false },
);

export const PasswordChangeBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: PasswordSchema,
});

/** Any other field is refused, not ignored: name and phone are the user's own. */
export const AdminUserChangeBody = Type.Object(
  {
    status: Type.Optional(StatusSchema),
    grade: Type.Optional(GradeSchema),
    /** One role per user: AGENT grants the agent console (chat), USER or ADMIN revokes it. Takes effect at the next token refresh. */
    role: Type.Optional(RoleSchema),
  },
  { additionalProperties: false },
);

export const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
