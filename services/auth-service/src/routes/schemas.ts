import { Type } from 'typebox';

// The public shapes live in @sagamart/contracts, where the web reads their types.
export * from '@sagamart/contracts/http/auth';

export const UserIdParams = Type.Object({ userId: Type.String({ format: 'uuid' }) });
