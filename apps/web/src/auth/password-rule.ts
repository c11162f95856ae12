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
} from '@sagamart/contracts/rules';
import { i18n } from '../i18n/i18n.ts';

export {
  isValidPassword,
  PASSWORD_CONFIRM_MESSAGE,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_PATTERN,
  PASSWORD_RULE_MESSAGE,
};

/** The policy in the shopper's language (the contracts' message is the server's English). */
export function passwordRuleText(): string {
  return i18n.t('rule.password');
}

export function passwordConfirmProblem(password: string, confirm: string): string | undefined {
  return confirm === password ? undefined : i18n.t('rule.passwordConfirm');
}

/** What is wrong with `password`, or undefined when it satisfies the policy. */
export function passwordProblem(password: string): string | undefined {
  if (password.length > PASSWORD_MAX_LENGTH)
    return i18n.t('rule.passwordTooLong', { max: PASSWORD_MAX_LENGTH });
  return isValidPassword(password) ? undefined : passwordRuleText();
}
