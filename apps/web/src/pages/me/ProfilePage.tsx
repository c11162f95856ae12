import { Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { formatDate } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { RoleBadge, UserGradeBadge, UserStatusBadge } from '../../ui/badges.tsx';
import { myProfileQuery, type UserProfile } from '../../users/users-api.ts';
import { PasswordChangeForm } from './PasswordChangeForm.tsx';
import { ProfileForm } from './ProfileForm.tsx';

export function ProfilePage() {
  const profile = useQuery(myProfileQuery);
  const { t } = useTranslation();
  usePageTitle(t('title.profile'));

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('profile.title')}
      </Title>
      {profile.isPending && <Skeleton h={160} />}
      {profile.isError && <ApiErrorAlert error={profile.error} onRetry={() => void profile.refetch()} />}
      {profile.data && (
        <>
          <AccountSummary profile={profile.data} />
          {/* Keyed so the form starts from the server's values again for a different account. */}
          <ProfileForm key={profile.data.userId} profile={profile.data} />
          <PasswordChangeForm />
        </>
      )}
    </Stack>
  );
}

function AccountSummary({ profile }: { profile: UserProfile }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="lg" component="section" aria-label={t('profile.account')}>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
        <Fact label={t('profile.email')}>{profile.email}</Fact>
        <Fact label={t('profile.membership')}>
          <Group gap={6}>
            <UserGradeBadge grade={profile.grade} />
            <RoleBadge role={profile.role} />
          </Group>
        </Fact>
        <Fact label={t('profile.status')}>
          <UserStatusBadge status={profile.status} />
        </Fact>
        <Fact label={t('profile.memberSince')}>{formatDate(profile.createdAt)}</Fact>
      </SimpleGrid>
    </Card>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text component="div" mt={4}>
        {children}
      </Text>
    </div>
  );
}
