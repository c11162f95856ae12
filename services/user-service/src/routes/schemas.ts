import { USER_GRADES, USER_ROLES, USER_STATUSES } from '@sagamart/contracts';
import {
  EMAIL_MAX_LENGTH,
  EMAIL_PATTERN_SOURCE,
  EMAIL_RULE_MESSAGE,
  NAME_MAX_LENGTH,
  NAME_PATTERN_SOURCE,
  NAME_RULE_MESSAGE,
  PASSWORD_MAX_LENGTH,
  PASSWORD_PATTERN_SOURCE,
  PASSWORD_RULE_MESSAGE,
  PASSWORD_TOO_LONG_MESSAGE,
  PHONE_PATTERN_SOURCE,
  PHONE_RULE_MESSAGE,
} from '@sagamart/contracts/rules';
import { problemResponses } from '@sagamart/kit';
import { Type } from 'typebox';
import type { RuleMessages } from './validation.ts';

// Enums rather than unions of literals: one clear validation error per field.
export const RoleSchema = Type.Enum(USER_ROLES);
export const StatusSchema = Type.Enum(USER_STATUSES);
export const GradeSchema = Type.Enum(USER_GRADES);

export const EmailSchema = Type.String({ maxLength: EMAIL_MAX_LENGTH, pattern: EMAIL_PATTERN_SOURCE });
export const PasswordSchema = Type.String({
  maxLength: PASSWORD_MAX_LENGTH,
  pattern: PASSWORD_PATTERN_SOURCE,
});
export const NameSchema = Type.String({ maxLength: NAME_MAX_LENGTH, pattern: NAME_PATTERN_SOURCE });
/** Empty means "no phone". */
export const PhoneSchema = Type.Union([Type.String({ pattern: `^$|${PHONE_PATTERN_SOURCE}` }), Type.Null()]);

/** The shared rules' wording for each field. */
export const FIELD_MESSAGES: RuleMessages = {
  email: { '*': EMAIL_RULE_MESSAGE },
  password: {
    pattern: PASSWORD_RULE_MESSAGE,
    required: PASSWORD_RULE_MESSAGE,
    maxLength: PASSWORD_TOO_LONG_MESSAGE,
  },
  newPassword: {
    pattern: PASSWORD_RULE_MESSAGE,
    required: PASSWORD_RULE_MESSAGE,
    maxLength: PASSWORD_TOO_LONG_MESSAGE,
  },
  name: { pattern: NAME_RULE_MESSAGE, required: NAME_RULE_MESSAGE },
  phone: { pattern: PHONE_RULE_MESSAGE },
};

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
    description: 'CHARGE, or an order step: RESERVE (−), COMMIT (0, paid), RELEASE (+, returned)',
  }),
  amount: Type.Integer({ description: 'Signed won: positive adds to the balance' }),
  balanceAfter: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

export const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const problems = problemResponses(400, 401, 403, 404, 409, 429, 503);
