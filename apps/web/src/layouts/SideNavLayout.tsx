import { AppShell, Container, Divider, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, NavLink as RouterNavLink, useLocation } from 'react-router';
import { useLogout } from '../auth/use-logout.ts';
import { ChatButtonRoom } from '../chat/CustomerChat.tsx';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';
import { AppHeader } from './AppHeader.tsx';

export interface SideNavItem {
  label: string;
  to: string;
}

interface SideNavLayoutProps {
  /** Names the navigation landmark, e.g. "My page". */
  title: string;
  items: SideNavItem[];
  admin?: boolean;
}

/** Header plus a side navigation that collapses behind a burger on small screens. */
export function SideNavLayout({ title, items, admin = false }: SideNavLayoutProps) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  const logout = useLogout();
  const { t } = useTranslation();
  // On mobile the drawer-like navbar should close once a destination is chosen.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only
  useEffect(close, [pathname]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <AppHeader navigation={{ opened, toggle }} admin={admin} />
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label={title}>
        <AppShell.Section grow component={ScrollArea}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pb="xs">
            {title}
          </Text>
          {items.map((item) => (
            <NavLink
              key={item.to}
              component={RouterNavLink}
              to={item.to}
              label={item.label}
              active={pathname === item.to || pathname.startsWith(`${item.to}/`)}
            />
          ))}
          {/* The header has no room for it on a phone: here it is, in the menu. */}
          <Divider my="sm" hiddenFrom="xs" />
          <NavLink component="button" label={t('nav.logout')} onClick={() => void logout()} hiddenFrom="xs" />
        </AppShell.Section>
        {/* Where the shop has it in its footer: at the foot of the menu (the phone's menu too). */}
        <AppShell.Section pt="sm" px="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
          <LanguageSwitch />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Container size="lg" py="md" px={0}>
          <Outlet />
        </Container>
        <ChatButtonRoom />
      </AppShell.Main>
    </AppShell>
  );
}
