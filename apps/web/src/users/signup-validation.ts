import {
  EMAIL_RULE_MESSAGE,
  isValidEmail,
  isValidName,
  NAME_MAX_LENGTH,
  NAME_RULE_MESSAGE,
} from '@sagamart/contracts/rules';
import { PASSWORD_CONFIRM_MESSAGE, passwordProblem } from '../auth/password-rule.ts';
import type { FieldErrors } from '../ui/use-form-fields.ts';
import { isValidPhone, PHONE_RULE_MESSAGE } from './phone-rule.ts';

export interface SignupFormValues extends Record<string, string> {
  email: string;
  password: string;
  passwordConfirm: string;
  name: string;
  phone: string;
}

export function validateSignup(values: SignupFormValues): FieldErrors<SignupFormValues> {
  return {
    email: isValidEmail(values.email.trim()) ? undefined : EMAIL_RULE_MESSAGE,
    password: passwordProblem(values.password),
    passwordConfirm: values.passwordConfirm === values.password ? undefined : PASSWORD_CONFIRM_MESSAGE,
    ...validateProfile(values),
  };
}

/** Name and phone rules, shared by signup and the profile editor. An empty phone means "none". */
export function validateProfile(values: { name: string; phone: string }): { name?: string; phone?: string } {
  const name = values.name.trim();
  const phone = values.phone.trim();
  return {
    name: !isValidName(name)
      ? name.length > NAME_MAX_LENGTH
        ? `Name must be at most ${NAME_MAX_LENGTH} characters.`
        : NAME_RULE_MESSAGE
      : undefined,
    phone: phone && !isValidPhone(phone) ? PHONE_RULE_MESSAGE : undefined,
  };
}
