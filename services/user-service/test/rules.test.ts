import {
  EMAIL_PATTERN_SOURCE,
  isValidEmail,
  isValidName,
  isValidPassword,
  isValidPhone,
  NAME_FORBIDDEN_CHARACTER_SOURCE,
  PASSWORD_MAX_LENGTH,
  PASSWORD_PATTERN_SOURCE,
  PHONE_PATTERN_SOURCE,
} from '@sagamart/contracts/rules';
import { describe, expect, it } from 'vitest';

// The shared field rules (browser and server import the same module).
describe('shared field rules', () => {
  it('password: 8+ characters with a letter, a digit and a special character', () => {
    for (const ok of ['Admin123!', 'abcdefg1~', 'P4ss word!', 'ab1`defgh', '한글비번abc1!'])
      expect(isValidPassword(ok), ok).toBe(true);
    for (const bad of ['Ab1!xyz', 'abcdefgh!', '12345678!', 'abcdefg12', 'abc 1234', ''])
      expect(isValidPassword(bad), bad).toBe(false);
    expect(isValidPassword(`Aa1!${'x'.repeat(PASSWORD_MAX_LENGTH - 4)}`)).toBe(true);
    expect(isValidPassword(`Aa1!${'x'.repeat(PASSWORD_MAX_LENGTH - 3)}`)).toBe(false);
  });

  it('phone: Korean mobile numbers with or without hyphens', () => {
    for (const ok of ['010-1234-5678', '01012345678', '011-123-4567', '019-9999-0000'])
      expect(isValidPhone(ok), ok).toBe(true);
    for (const bad of ['02-123-4567', '010-12-3456', '012-1234-5678', '+82 10 1234 5678', '010-1234-56789']) {
      expect(isValidPhone(bad), bad).toBe(false);
    }
  });

  it('email and name', () => {
    expect(isValidEmail('kim@example.com')).toBe(true);
    expect(isValidEmail('kim@example')).toBe(false);
    expect(isValidEmail('kim @example.com')).toBe(false);
    for (const ok of ['kim.lee@mail.example.co.kr', 'kim+tag@example.com', '김@예시.한국'])
      expect(isValidEmail(ok), ok).toBe(true);
    for (const bad of [
      'kim@example.com.',
      'kim@example..com',
      'kim@.example.com',
      'kim.@example.com',
      '.kim@x.com',
    ])
      expect(isValidEmail(bad), bad).toBe(false);
    expect(isValidName('김민준')).toBe(true);
    expect(isValidName('Anne-Marie O’Neil 👍')).toBe(true);
    expect(isValidName('   ')).toBe(false);
    for (const bad of ['김\u0000', '김\n민준', '김\t', '\u202e김', '김\u200b', '\ufeff김', '김\u2029'])
      expect(isValidName(bad), JSON.stringify(bad)).toBe(false);
  });

  it('pattern sources are valid with the `u` flag, as JSON Schema validators compile them', () => {
    expect(() => new RegExp(PASSWORD_PATTERN_SOURCE, 'u')).not.toThrow();
    expect(() => new RegExp(`^$|${PHONE_PATTERN_SOURCE}`, 'u')).not.toThrow();
    expect(() => new RegExp(EMAIL_PATTERN_SOURCE, 'u')).not.toThrow();
    expect(() => new RegExp(NAME_FORBIDDEN_CHARACTER_SOURCE, 'u')).not.toThrow();
  });
});
