/**
 * The kit's pure part: no I/O and no runtime dependency but TypeBox, so domain code may import it
 * (`@sagamart/kit/pure`). The main entry re-exports all of it. See README.md.
 */
export {
  type ConfigEnvironment,
  type ConfigTree,
  type ConfigValue,
  flattenConfig,
  mergeConfig,
  UNDECRYPTABLE_KEY_PREFIX,
} from './config-tree.ts';
export {
  badRequest,
  conflict,
  forbidden,
  notFound,
  PROBLEM_TYPE_HEADER,
  Problem,
  ProblemSchema,
  unprocessable,
} from './errors.ts';
export { asRole, hasRole, type Identity, ROLES, type Role, SERVICE_TOKEN_HEADER } from './identity-types.ts';
export {
  type Page,
  PageQuery,
  PageSchema,
  parseSort,
  reconcileTotal,
  type SortDirection,
  type SortOrder,
  SortParam,
  type SortSpec,
  toPage,
} from './page.ts';
export { type PrometheusSample, parsePrometheusText } from './prometheus-text.ts';
export { escapeLike, isUniqueViolation, likeContains, likePrefix } from './sql-text.ts';
export {
  type BucketDecision,
  type BucketLimit,
  type BucketState,
  bucketIdleTtlMs,
  retryAfterSeconds,
  takeToken,
} from './token-bucket.ts';
