import { type ChangeEvent, useState } from 'react';
import { serverFieldErrors } from '../i18n/labels.ts';

export type FieldErrors<T> = Partial<Record<keyof T & string, string>>;

export type Validator<T> = (values: T) => FieldErrors<T>;

/** The fields a validator found a problem with, in its order. */
export function fieldsWithErrors<T>(errors: FieldErrors<T>): string[] {
  return Object.entries(errors)
    .filter(([, message]) => Boolean(message))
    .map(([field]) => field);
}

/**
 * Text-field form state with per-field messages from two sources: the client-side `validate`
 * (checked on submit) and the server's problem `errors[]` (via `showServerErrors`).
 */
export function useFormFields<T extends Record<string, string>>(initial: T, validate?: Validator<T>) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors<T>>({});

  /** Props for a Mantine text input: value, onChange and its error message. */
  function field(name: keyof T & string) {
    return {
      value: values[name],
      error: errors[name],
      onChange: (event: ChangeEvent<HTMLInputElement>) => {
        const value = event.currentTarget.value;
        setValues((current) => ({ ...current, [name]: value }));
        // Editing a field is the user's answer to its message, so drop it.
        setErrors((current) => ({ ...current, [name]: undefined }));
      },
    };
  }

  /** Runs client-side validation; true when the form may be submitted. */
  function check(): boolean {
    const found = validate?.(values) ?? {};
    setErrors(found);
    return fieldsWithErrors(found).length === 0;
  }

  /**
   * Puts the server's per-field messages next to matching inputs, in the reader's language (the
   * services explain in English); returns whether any matched.
   */
  function showServerErrors(error: unknown): boolean {
    const byField = serverFieldErrors(error);
    const matched = Object.keys(byField).filter((name) => name in values);
    if (matched.length === 0) return false;
    setErrors(Object.fromEntries(matched.map((name) => [name, byField[name]])) as FieldErrors<T>);
    return true;
  }

  return {
    values,
    errors,
    field,
    check,
    showServerErrors,
    /** Sets one value from a non-text input (number, select); drops its message like typing does. */
    setValue: (name: keyof T & string, value: string) => {
      setValues((current) => ({ ...current, [name]: value }));
      setErrors((current) => ({ ...current, [name]: undefined }));
    },
    setFieldError: (name: keyof T & string, message: string) =>
      setErrors((current) => ({ ...current, [name]: message })),
    reset: (next: T = initial) => {
      setValues(next);
      setErrors({});
    },
  };
}
