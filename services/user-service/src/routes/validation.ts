/** An Ajv error as Fastify hands it to a schema error formatter. */
interface ValidationError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Messages by field, then by failing keyword ('*' for any). */
export type RuleMessages = Record<string, Partial<Record<string, string>>>;

/** The property an error names beside its path: one that is missing, or one the schema does not take. */
const named = (e: ValidationError) => {
  const property = e.params.missingProperty ?? e.params.additionalProperty;
  return typeof property === 'string' ? `/${property}` : '';
};

const field = (e: ValidationError) => `${e.instancePath}${named(e)}`.replace(/^\//, '');

/**
 * A route's schemaErrorFormatter that words violations of the shared field rules
 * (@sagamart/contracts/rules) as the browser does, and keeps one error per field (a nullable field
 * otherwise also reports "must be null" and "must match a schema in anyOf"). A field the schema does
 * not take is named by the kit, as the field in error (http.ts toProblem).
 * The kit's error handler turns the resulting `validation` list into the problem's `errors[]`.
 */
export function withRuleMessages(messages: RuleMessages) {
  return (errors: ValidationError[], dataVar: string): Error => {
    const kept = new Map<string, ValidationError>();
    const noise = (e: ValidationError) =>
      e.keyword === 'anyOf' || (e.keyword === 'type' && e.params.type === 'null');
    for (const error of errors) {
      const key = field(error);
      const seen = kept.get(key);
      if (!seen || (noise(seen) && !noise(error))) kept.set(key, error);
    }
    for (const [key, error] of kept) {
      const byKeyword = messages[key];
      const message = byKeyword?.[error.keyword] ?? byKeyword?.['*'];
      if (message) error.message = message;
    }
    // Fastify attaches this very array as `error.validation`, so edit it in place.
    errors.splice(0, errors.length, ...kept.values());
    return new Error(`Invalid ${dataVar}`);
  };
}
