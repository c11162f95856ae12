// Field rules shared by the browser and the servers, so both judge input the same way.
// Keep this module free of imports and of browser or Node APIs: the web app bundles it as-is.
// Pattern sources are valid both as JavaScript `RegExp`s with the `u` flag and as JSON Schema
// `pattern`s (Ajv compiles them with `u`).

export const EMAIL_MAX_LENGTH = 254;
/**
 * Pragmatic: something@domain.tld without spaces; deliverability is not checked. Dots only between
 * characters (no leading, trailing or doubled dot, in either part), so `a@b.com.` or `a@.b.com` is
 * not a second spelling of an address. Dots are outside each run's class: no backtracking blow-up.
 */
export const EMAIL_PATTERN_SOURCE = String.raw`^[^\s@.]+(?:\.[^\s@.]+)*@[^\s@.]+(?:\.[^\s@.]+)+$`;
export const EMAIL_PATTERN = new RegExp(EMAIL_PATTERN_SOURCE, 'u');
export const EMAIL_RULE_MESSAGE = 'Enter a valid email address.';

export const PASSWORD_MIN_LENGTH = 8;
/** Caps the work a single login or signup can ask of the password hasher. */
export const PASSWORD_MAX_LENGTH = 128;
/** At least 8 characters with an ASCII letter, a digit and an ASCII special character (punctuation). */
export const PASSWORD_PATTERN_SOURCE = String.raw`^(?=.*[A-Za-z])(?=.*[0-9])(?=.*[\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]).{8,}$`;
export const PASSWORD_PATTERN = new RegExp(PASSWORD_PATTERN_SOURCE, 'u');
export const PASSWORD_RULE_MESSAGE =
  'Password must be at least 8 characters and include a letter, a digit and a special character.';
export const PASSWORD_TOO_LONG_MESSAGE = `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`;
export const PASSWORD_CONFIRM_MESSAGE = 'Passwords do not match.';

/** Korean mobile numbers: 010, 011, 016, 017, 018 or 019, with or without hyphens. */
export const PHONE_PATTERN_SOURCE = '^01[016789]-?[0-9]{3,4}-?[0-9]{4}$';
export const PHONE_PATTERN = new RegExp(PHONE_PATTERN_SOURCE, 'u');
export const PHONE_RULE_MESSAGE = 'Enter a Korean mobile number such as 010-1234-5678.';

export const NAME_MAX_LENGTH = 50;
/** Required: at least one non-space character. */
export const NAME_PATTERN_SOURCE = String.raw`\S`;
export const NAME_PATTERN = new RegExp(NAME_PATTERN_SOURCE, 'u');
export const NAME_RULE_MESSAGE = 'Name is required.';
/**
 * What a name may not hold anywhere: controls (Cc: NUL, tab, line feed…), invisible formatting (Cf:
 * zero-width spaces, bidirectional overrides such as U+202E) and line or paragraph separators.
 * A name is shown to admins, agents and couriers: these would hide or reorder what it says. The
 * zero-width joiner and non-joiner stay allowed: emoji such as 👩‍💻 and some scripts are built with them.
 */
export const NAME_FORBIDDEN_CHARACTER_SOURCE = String.raw`(?![\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]`;
export const NAME_FORBIDDEN_CHARACTER = new RegExp(NAME_FORBIDDEN_CHARACTER_SOURCE, 'u');
export const NAME_CHARACTERS_MESSAGE =
  'Name cannot contain line breaks, control characters or invisible formatting characters.';

export function isValidEmail(email: string): boolean {
  return email.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(email);
}

export function isValidPassword(password: string): boolean {
  return password.length <= PASSWORD_MAX_LENGTH && PASSWORD_PATTERN.test(password);
}

export function isValidPhone(phone: string): boolean {
  return PHONE_PATTERN.test(phone);
}

export function isValidName(name: string): boolean {
  return name.length <= NAME_MAX_LENGTH && NAME_PATTERN.test(name) && !NAME_FORBIDDEN_CHARACTER.test(name);
}

/**
 * The option group that holds a product's colour (색상, 컬러, 색깔, color or colour): the catalog lists
 * its values on every card, and the shop draws pictures in them.
 */
export function isColourOption(groupName: string): boolean {
  return /색상|컬러|색깔|colou?r/i.test(groupName);
}

// Limits the servers enforce on what a shopper types or collects, so the web can stop the input
// before it is sent and say why (in the shopper's words) instead of meeting a generic refusal.

/** Most distinct items (SKUs) one order may hold; the web's cart holds no more lines than this. */
export const ORDER_MAX_ITEMS = 50;
/** Most units of one SKU in one order line (and one cart line). */
export const ORDER_LINE_MAX_QUANTITY = 999;
/** Longest product search (`q`) catalog-service accepts. */
export const SEARCH_QUERY_MAX_LENGTH = 100;
/** Longest keyword catalog-service suggests for as it is typed. */
export const AUTOCOMPLETE_KEYWORD_MAX_LENGTH = 50;
/** Longest coupon code a shopper may send to claim a coupon. */
export const COUPON_CODE_MAX_LENGTH = 60;
/**
 * The most a coupon or discount policy may take off, in won: a FIXED one's amount and a RATE one's
 * cap (`maxDiscount`). Ten million won is far above any discount the shop gives (its dearest products
 * cost a few hundred thousand); a larger figure is a slip of extra zeros, refused before any shopper
 * holds it. The quote holds every coupon and policy to it too, an uncapped RATE one (`maxDiscount`
 * null) included: none takes off more than this on one order. Whatever the amount, a quote never
 * takes off more than is left to pay.
 */
export const DISCOUNT_AMOUNT_MAX = 10_000_000;
/** The largest minimum order amount (`minOrderAmount`, won) a coupon or discount policy may set. */
export const MIN_ORDER_AMOUNT_MAX = 1_000_000_000_000;
/** The most users one coupon may be issued to (`totalIssueLimit`); none, for no limit. */
export const COUPON_ISSUE_LIMIT_MAX = 100_000_000;
/**
 * The largest single points charge, in won: user-service's default `points.maxCharge` (the
 * deployment may lower or raise it; user-service names the limit in force when it refuses).
 */
export const POINTS_MAX_CHARGE = 1_000_000;

/**
 * The longest address line the courier takes (its bulk upload's `address`): a shipment's and a return
 * pickup's whole address, the address and its detail joined by `deliveryAddressLine`.
 */
export const COURIER_ADDRESS_MAX_LENGTH = 400;
/** Longest address (road or lot address) an order or a saved address may hold. */
export const ADDRESS_MAX_LENGTH = 200;
/**
 * Longest address detail (동·호수) an order or a saved address may hold: what is left of the courier's
 * line after the longest address and the space between them, so every accepted pair can be shipped.
 */
export const ADDRESS_DETAIL_MAX_LENGTH = COURIER_ADDRESS_MAX_LENGTH - ADDRESS_MAX_LENGTH - 1;

/** The one address line a courier receives: the address, then its detail (if any) after a space. */
export function deliveryAddressLine(address: string, addressDetail: string | null | undefined): string {
  return addressDetail ? `${address} ${addressDetail}` : address;
}
