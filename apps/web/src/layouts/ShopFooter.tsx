import { Anchor, Box, Container, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
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
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('footer.shop')}
              </Text>
              <Anchor component={Link} to="/products" size="sm" c="dimmed">
                {t('footer.allProducts')}
              </Anchor>
              <Anchor component={Link} to="/cart" size="sm" c="dimmed">
                {t('nav.cart')}
              </Anchor>
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('footer.account')}
              </Text>
              <Anchor component={Link} to="/me/orders" size="sm" c="dimmed">
                {t('common.myOrders')}
              </Anchor>
              <Anchor component={Link} to="/me/points" size="sm" c="dimmed">
                {t('title.points')}
              </Anchor>
            </Stack>
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
      </Container>
    </Box>
  );
}
