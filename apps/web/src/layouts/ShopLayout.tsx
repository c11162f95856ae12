import { AppShell, Container } from '@mantine/core';
import type { ReactNode } from 'react';
import { Outlet } from 'react-router';
import { AppHeader } from './AppHeader.tsx';
import { ShopFooter } from './ShopFooter.tsx';

/** The storefront: header, content centred, footer. Shows `children` instead of the route outlet if given. */
export function ShopLayout({ children }: { children?: ReactNode }) {
  return (
    <AppShell header={{ height: 60 }} padding={{ base: 'xs', sm: 'md' }}>
      <AppShell.Header>
        <AppHeader />
      </AppShell.Header>
      <AppShell.Main>
        <Container size="lg" py="md" px={{ base: 'xs', sm: 'md' }}>
          {children ?? <Outlet />}
        </Container>
      </AppShell.Main>
      {/* Outside <main>, so it is the page's contentinfo landmark. */}
      <ShopFooter />
    </AppShell>
  );
}
