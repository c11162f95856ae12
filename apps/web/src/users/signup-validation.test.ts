import { SignupBody } from '@sagamart/contracts/http/users';
import { NAME_MAX_LENGTH } from '@sagamart/contracts/rules';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n.ts';
import { fieldsWithErrors } from '../ui/use-form-fields.ts';
import { type SignupFormValues, validateProfile, validateSignup } from './signup-validation.ts';

const valid: SignupFormValues = {
  email: 'kim@example.com',
  password: 'Passw0rd!',
  passwordConfirm: 'Passw0rd!',
  name: '김철수',
  phone: '010-1234-5678',
};

const invalidFields = (values: SignupFormValues) => fieldsWithErrors(validateSignup(values));

describe('signup form', () => {
  it('accepts a complete signup, with or without a phone', () => {
    expect(invalidFields(valid)).toEqual([]);
    expect(invalidFields({ ...valid, phone: '' })).toEqual([]);
  });

  it('names each field that breaks a rule', () => {
    expect(invalidFields({ ...valid, email: 'kim@', passwordConfirm: 'other' })).toEqual([
      'email',
      'passwordConfirm',
    ]);
    expect(invalidFields({ ...valid, password: 'password', phone: '1234' })).toEqual([
      'password',
      'passwordConfirm',
      'phone',
    ]);
  });

  it("agrees with user-service's schema on what it sends", () => {
    for (const values of [
      valid,
      { ...valid, email: 'not-an-email' },
      { ...valid, password: 'short1!', passwordConfirm: 'short1!' },
      { ...valid, name: '' },
      { ...valid, name: '김\u0000철수' },
      { ...valid, name: '\u202e수철김' },
      { ...valid, email: 'kim@example.com.' },
      { ...valid, email: 'kim@example..com' },
      { ...valid, phone: '010-12-5678' },
    ]) {
      const body = { ...values, email: values.email.trim(), name: values.name.trim() };
      expect(Value.Check(SignupBody, body), JSON.stringify(values)).toBe(invalidFields(values).length === 0);
    }
  });
});

describe('profile form', () => {
  it('says when a name is too long rather than malformed', () => {
    expect(validateProfile({ name: '가'.repeat(200), phone: '' }).name).toBe(
      i18n.t('rule.nameTooLong', { max: NAME_MAX_LENGTH }),
    );
    expect(validateProfile({ name: '  ', phone: '' }).name).toBeDefined();
  });

  it('says when a name holds a control or invisible character rather than that it is missing', () => {
    for (const name of ['김\u0000철수', '김\n철수', '김\u200b철수', '\u202e수철김'])
      expect(validateProfile({ name, phone: '' }).name, JSON.stringify(name)).toBe(
        i18n.t('rule.nameCharacters'),
      );
    expect(validateProfile({ name: ' 김철수\n', phone: '' }).name).toBeUndefined();
  });
});
