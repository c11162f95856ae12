import {
  EMAIL_RULE_MESSAGE,
  NAME_CHARACTERS_MESSAGE,
  NAME_RULE_MESSAGE,
  PASSWORD_RULE_MESSAGE,
  PASSWORD_TOO_LONG_MESSAGE,
  PHONE_RULE_MESSAGE,
} from '@sagamart/contracts/rules';
import { problemResponses } from '@sagamart/kit';
import type { RuleMessages } from './validation.ts';

// The public shapes live in @sagamart/contracts, where the web reads their types.
export * from '@sagamart/contracts/http/points';
export * from '@sagamart/contracts/http/users';

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
  name: { pattern: NAME_RULE_MESSAGE, required: NAME_RULE_MESSAGE, not: NAME_CHARACTERS_MESSAGE },
  phone: { pattern: PHONE_RULE_MESSAGE },
};

export const problems = problemResponses(400, 401, 403, 404, 409, 429, 503);
