import { problemResponses } from '@sagamart/kit';

// The public shapes live in @sagamart/contracts, where the web reads their types.
export * from '@sagamart/contracts/http/payments';

export const problems = problemResponses(400, 401, 403, 404, 409);
