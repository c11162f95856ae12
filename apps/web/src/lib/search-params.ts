/** `value` when it is one of `allowed`, else undefined: for enums read from URL parameters. */
export function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

/** Only set values go into the URL, keeping links short. */
export function compactParams(values: Record<string, string | null | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  return params;
}
