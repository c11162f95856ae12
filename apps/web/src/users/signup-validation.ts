import { isValidPassword, PASSWORD_RULE_MESSAGE } from '../auth/password-rule.ts';
import type { FieldErrors } from '../ui/use-form-fields.ts';
import { isValidPhone, PHONE_RULE_MESSAGE } from './phone-rule.ts';

export interface SignupFormValues extends Record<string, string> {
  email: string;
  password: string;
  passwordConfirm: string;
  name: string;
  phone: string;
}

// Deliberately loose: the server owns the real check, this only catches typos early.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const NAME_MAX_LENGTH = 50;

export function validateSignup(values: SignupFormValues): FieldErrors<SignupFormValues> {
  return {
    email: EMAIL_SHAPE.test(values.email.trim()) ? undefined : 'Enter a valid email address',
    password: isValidPassword(values.password) ? undefined : PASSWORD_RULE_MESSAGE,
    passwordConfirm: values.passwordConfirm === values.password ? undefined : 'Passwords do not match',
    ...validateProfile(values),
  };
}

/** Name and phone rules, shared by signup and the profile editor. */
export function validateProfile(values: { name: string; phone: string }): { name?: string; phone?: string } {
  const name = values.name.trim();
  const phone = values.phone.trim();
  return {
    name: !name
      ? 'Enter your name'
      : name.length > NAME_MAX_LENGTH
        ? `Name must be at most ${NAME_MAX_LENGTH} characters`
        : undefined,
    phone: phone && !isValidPhone(phone) ? PHONE_RULE_MESSAGE : undefined,
  };
}
