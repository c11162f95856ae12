import { Button, Card, Group, Stack, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';
import { validateProfile } from '../../users/signup-validation.ts';
import { myProfileQuery, type UserProfile, updateMyProfile } from '../../users/users-api.ts';

export function ProfileForm({ profile }: { profile: UserProfile }) {
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  const form = useFormFields({ name: profile.name, phone: profile.phone ?? '' }, validateProfile);

  const save = useMutation({
    mutationFn: () =>
      updateMyProfile({ name: form.values.name.trim(), phone: form.values.phone.trim() || null }),
    onSuccess: (updated) => {
      if (updated?.userId !== undefined) queryClient.setQueryData(myProfileQuery.queryKey, updated);
      void queryClient.invalidateQueries({ queryKey: myProfileQuery.queryKey });
      notifications.show({ color: 'teal', message: t('profile.saved') });
    },
    onError: (error) => form.showServerErrors(error),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.check()) save.mutate();
  };

  const unchanged = form.values.name === profile.name && form.values.phone === (profile.phone ?? '');

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="profile-details-title">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title id="profile-details-title" order={2} size="h4">
            {t('profile.details')}
          </Title>
          <ApiErrorAlert error={save.error} title={t('profile.saveFailed')} />
          <TextInput label={t('auth.name')} autoComplete="name" required maw={360} {...form.field('name')} />
          <TextInput
            label={t('auth.phone')}
            type="tel"
            autoComplete="tel"
            placeholder="010-1234-5678"
            maw={360}
            {...form.field('phone')}
          />
          <Group>
            <Button type="submit" loading={save.isPending} disabled={unchanged}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
