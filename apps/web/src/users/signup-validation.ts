import {
  isValidEmail,
  isValidName,
  NAME_FORBIDDEN_CHARACTER,
  NAME_MAX_LENGTH,
} from '@sagamart/contracts/rules';
import { passwordConfirmProblem, passwordProblem } from '../auth/password-rule.ts';
import { i18n } from '../i18n/i18n.ts';
import type { FieldErrors } from '../ui/use-form-fields.ts';
import { isValidPhone } from './phone-rule.ts';

export interface SignupFormValues extends Record<string, string> {
  email: string;
  password: string;
  passwordConfirm: string;
  name: string;
  phone: string;
}

export function validateSignup(values: SignupFormValues): FieldErrors<SignupFormValues> {
  return {
    email: isValidEmail(values.email.trim()) ? undefined : i18n.t('rule.email'),
    password: passwordProblem(values.password),
    passwordConfirm: passwordConfirmProblem(values.password, values.passwordConfirm),
    ...validateProfile(values),
  };
}

/** Name and phone rules, shared by signup and the profile editor. An empty phone means "none". */
export function validateProfile(values: { name: string; phone: string }): { name?: string; phone?: string } {
  const name = values.name.trim();
  const phone = values.phone.trim();
  return {
    name: isValidName(name)
      ? undefined
      : name.length > NAME_MAX_LENGTH
        ? i18n.t('rule.nameTooLong', { max: NAME_MAX_LENGTH })
        : NAME_FORBIDDEN_CHARACTER.test(name)
          ? i18n.t('rule.nameCharacters')
          : i18n.t('rule.name'),
    phone: phone && !isValidPhone(phone) ? i18n.t('rule.phone') : undefined,
  };
}
