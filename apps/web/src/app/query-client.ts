import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../api/api-error.ts';
import type { Session } from '../auth/session.ts';

const MAX_QUERY_RETRIES = 2;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // Retrying cannot fix a 4xx (bad input, forbidden, not found); only network and 5xx errors.
        retry: (failureCount, error) => failureCount < MAX_QUERY_RETRIES && !isClientError(error),
      },
      mutations: { retry: false },
    },
  });
}

/** One user's cached data must never be shown to the next: drop everything when the user changes. */
export function clearCacheWhenUserChanges(session: Session, queryClient: QueryClient): () => void {
  let userId = session.getSnapshot().user?.id;
  return session.subscribe(() => {
    const next = session.getSnapshot().user?.id;
    if (next !== userId) queryClient.clear();
    userId = next;
  });
}

function isClientError(error: unknown): boolean {
  return isApiError(error) && error.status >= 400 && error.status < 500;
}
