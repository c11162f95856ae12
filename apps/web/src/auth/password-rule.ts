// The password policy, shared verbatim by the browser and the identity service: keep this module
// free of browser and Node APIs so both can import it.

export const PASSWORD_MIN_LENGTH = 8;

/** ASCII punctuation; at least one is required. */
export const PASSWORD_SPECIAL_CHARACTERS = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/**
 * At least 8 characters, including a letter, a digit and a special character. Written so the
 * source also works as a JSON Schema `pattern` (ECMA-262, compiled with the `u` flag by Ajv).
 */
export const PASSWORD_PATTERN = new RegExp(
  `^(?=.*[A-Za-z])(?=.*[0-9])(?=.*[${escapeForCharacterClass(PASSWORD_SPECIAL_CHARACTERS)}]).{${PASSWORD_MIN_LENGTH},}$`,
  'u',
);

export const PASSWORD_RULE_MESSAGE =
  'Password must be at least 8 characters and include a letter, a digit and a special character.';

export function isValidPassword(password: string): boolean {
  return PASSWORD_PATTERN.test(password);
}

// Inside [...] only these need escaping, and with the `u` flag escaping anything else is an error.
function escapeForCharacterClass(characters: string): string {
  return characters.replace(/[\\\]\[^-]/g, '\\$&');
}
