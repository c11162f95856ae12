// The password policy the web app checks before submitting. The rule itself lives in
// @sagamart/contracts/rules, which the identity services validate with too, so the browser and the
// server can never disagree; this module is the web app's one door to it.
import {
  isValidPassword,
  PASSWORD_CONFIRM_MESSAGE,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_PATTERN,
  PASSWORD_RULE_MESSAGE,
  PASSWORD_TOO_LONG_MESSAGE,
} from '@sagamart/contracts/rules';

export {
  isValidPassword,
  PASSWORD_CONFIRM_MESSAGE,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_PATTERN,
  PASSWORD_RULE_MESSAGE,
};

/** What is wrong with `password`, or undefined when it satisfies the policy. */
export function passwordProblem(password: string): string | undefined {
  if (password.length > PASSWORD_MAX_LENGTH) return PASSWORD_TOO_LONG_MESSAGE;
  return isValidPassword(password) ? undefined : PASSWORD_RULE_MESSAGE;
}
