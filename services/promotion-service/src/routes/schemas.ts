import { ProblemSchema } from '@sagamart/kit';

// The public shapes live in @sagamart/contracts, where the web reads their types.
export * from '@sagamart/contracts/http/promotions';

export const problems = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
};
