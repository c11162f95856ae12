import { Anchor, Box, Container, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ChatButtonRoom } from '../chat/CustomerChat.tsx';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';

/** Shop links, the company line Korean shops print, and the language switch. */
export function ShopFooter() {
  const { t } = useTranslation();
  return (
    <Box
      component="footer"
      mt="xl"
      py="xl"
      bg="gray.0"
      style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
    >
      <Container size="lg" px={{ base: 'xs', sm: 'md' }}>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md">
            <Stack gap={4}>
              <Text fw={700}>{t('brand.name')}</Text>
              <Text size="xs" c="dimmed">
                {t('brand.tagline')}
              </Text>
            </Stack>
            <LinkColumn
              title={t('footer.shop')}
              links={[
                ['/products', t('footer.allProducts')],
                ['/cart', t('nav.cart')],
              ]}
            />
            <LinkColumn
              title={t('footer.account')}
              links={[
                ['/me/orders', t('common.myOrders')],
                ['/me/points', t('title.points')],
              ]}
            />
          </SimpleGrid>
          <Group justify="space-between" align="flex-end" gap="sm">
            <Stack gap={2}>
              <Text size="xs" c="dimmed">
                {t('footer.company')}
              </Text>
              <Text size="xs" c="dimmed">
                {t('footer.help')}
              </Text>
              <Text size="xs" c="dimmed">
                {t('footer.about')}
              </Text>
            </Stack>
            <LanguageSwitch />
          </Group>
        </Stack>
        <ChatButtonRoom />
      </Container>
    </Box>
  );
}

function LinkColumn({ title, links }: { title: string; links: [to: string, label: string][] }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      {links.map(([to, label]) => (
        <Anchor key={to} component={Link} to={to} size="sm" c="dimmed">
          {label}
        </Anchor>
      ))}
    </Stack>
  );
}
