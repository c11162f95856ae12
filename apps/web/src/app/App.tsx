import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { ChatCenter } from '../chat/ChatCenter.tsx';
import { NotificationCenter } from '../notifications/NotificationCenter.tsx';
import type { AppRouter } from './router.tsx';
import { theme } from './theme.ts';

interface AppProps {
  router: AppRouter;
  queryClient: QueryClient;
}

export function App({ router, queryClient }: AppProps) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <NotificationCenter>
          <ChatCenter>
            <RouterProvider router={router} />
          </ChatCenter>
        </NotificationCenter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
