/** A catalog's shape with any wording: the same keys as the Korean source of truth, every leaf a string. */
export type Wording<T> = T extends string ? string : { readonly [K in keyof T]: Wording<T[K]> };
