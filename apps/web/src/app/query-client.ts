import { type InvalidateQueryFilters, QueryClient } from '@tanstack/react-query';
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

/**
 * Reads the matching queries anew because the server said something changed (a push, a reconnect).
 * A plain invalidate is not enough: react-query joins a refetch to a first fetch still in flight,
 * whose answer may have been read before the change, and nothing would ask again.
 */
export async function refetchAfterPush(
  queryClient: QueryClient,
  filters: InvalidateQueryFilters,
): Promise<void> {
  await queryClient.cancelQueries(filters);
  await queryClient.invalidateQueries(filters);
}

function isClientError(error: unknown): boolean {
  return isApiError(error) && error.status >= 400 && error.status < 500;
}
