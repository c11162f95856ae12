// Korean mobile numbers (010-1234-5678 or 01012345678), as the user service validates them.
export { isValidPhone, PHONE_PATTERN, PHONE_RULE_MESSAGE } from '@sagamart/contracts/rules';
