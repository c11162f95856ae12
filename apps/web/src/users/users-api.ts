import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { sendRequest } from '../api/http.ts';
import type { Role, UserGrade, UserStatus } from './user-enums.ts';

/** A UUID. */
export type UserId = string;

export interface UserProfile {
  userId: UserId;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
  status: UserStatus;
  grade: UserGrade;
  createdAt: string;
}

export interface SignupRequest {
  email: string;
  password: string;
  passwordConfirm: string;
  name: string;
  phone?: string;
}

export interface SignupResponse {
  userId: UserId;
  email: string;
  name: string;
  phone: string | null;
  createdAt: string;
}

export interface ProfileUpdate {
  name: string;
  /** null clears the number. */
  phone: string | null;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

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
