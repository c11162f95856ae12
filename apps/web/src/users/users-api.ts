import type * as users from '@sagamart/contracts/http/users';
import { queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';
import { sendRequest } from '../api/http.ts';

/** A UUID. */
export type UserId = UserProfile['userId'];

export type UserProfile = Static<typeof users.ProfileSchema>;
export type SignupRequest = Static<typeof users.SignupBody>;
export type SignupResponse = Static<typeof users.SignedUpUser>;
/** `phone: null` clears the number. */
export type ProfileUpdate = Static<typeof users.ProfileUpdateBody>;
export type PasswordChange = Static<typeof users.PasswordChangeBody>;

/** Anyone may sign up, so this goes out without a token. */
export function signup(request: SignupRequest): Promise<SignupResponse> {
  return sendRequest<SignupResponse>('/api/users/signup', { method: 'POST', body: request });
}

export const myProfileQuery = queryOptions({
  queryKey: ['me', 'profile'],
  queryFn: ({ signal }) => api.get<UserProfile>('/api/users/me', { signal }),
});

export function updateMyProfile(update: ProfileUpdate): Promise<UserProfile> {
  return api.patch<UserProfile>('/api/users/me', update);
}

/** Resolves to whatever the server answers: possibly a fresh token pair for this session. */
export function changeMyPassword(change: PasswordChange): Promise<unknown> {
  return api.post<unknown>('/api/users/me/password', change);
}
