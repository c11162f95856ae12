import { sql } from '@sagamart/kit';

/** A JSON value bound as jsonb (pg would send a JS array as a PostgreSQL array). */
export const jsonb = <T>(value: T) => sql<T>`${JSON.stringify(value)}::jsonb`;
