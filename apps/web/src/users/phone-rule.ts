// Korean mobile numbers (010, 011, 016, 017, 018, 019), with or without hyphens. Like the password
// rule, this module has no runtime dependencies so the server can share it.

/** `010-1234-5678` or `01012345678`; the middle group may be 3 digits on old (non-010) numbers. */
export const PHONE_PATTERN = /^01[016789](?:-\d{3,4}-\d{4}|\d{7,8})$/;

export const PHONE_RULE_MESSAGE = 'Enter a Korean mobile number such as 010-1234-5678.';

export function isValidPhone(phone: string): boolean {
  return PHONE_PATTERN.test(phone);
}
