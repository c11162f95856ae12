import { Alert, Button, Group, Text } from '@mantine/core';
import { isApiError } from '../api/api-error.ts';

interface ApiErrorAlertProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

/** The server's explanation of a failure, with its trace id so support can find the logs. */
export function ApiErrorAlert({ error, title, onRetry }: ApiErrorAlertProps) {
  if (!error) return null;
  const apiError = isApiError(error) ? error : null;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <Alert
      color="red"
      variant="light"
      title={title ?? apiError?.title ?? 'Something went wrong'}
      role="alert"
    >
      {/* The title already says it all when the server sent no detail. */}
      {message !== (title ?? apiError?.title) && <Text size="sm">{message}</Text>}
      {apiError?.traceId && (
        <Text size="xs" c="dimmed" mt={4}>
          Trace ID: {apiError.traceId}
        </Text>
      )}
      {onRetry && (
        <Group mt="sm">
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      )}
    </Alert>
  );
}
