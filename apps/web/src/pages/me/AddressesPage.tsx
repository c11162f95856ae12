import { Badge, Box, Button, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import {
  type AddressRequest,
  addressLine,
  deleteAddress,
  makeDefaultAddress,
  myAddressesQuery,
  replaceAddress,
  type SavedAddress,
  saveAddress,
} from '../../users/addresses-api.ts';
import { AddressForm } from './AddressForm.tsx';

/** `/me/addresses`: the address book; checkout offers the same addresses. */
export function AddressesPage() {
  const { t } = useTranslation();
  usePageTitle(t('title.addresses'));
  const queryClient = useQueryClient();
  const addresses = useQuery(myAddressesQuery);
  // 'new', an address id being edited, or null.
  const [editing, setEditing] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: myAddressesQuery.queryKey });

  const save = useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: AddressRequest }) =>
      id ? replaceAddress(id, body) : saveAddress(body),
    onSuccess: () => {
      setEditing(null);
      notifications.show({ color: 'teal', message: t('addressBook.saved') });
    },
    onSettled: refresh,
  });
  const makeDefault = useMutation({ mutationFn: makeDefaultAddress, onSettled: refresh });
  const remove = useMutation({
    mutationFn: deleteAddress,
    onSuccess: () => notifications.show({ color: 'teal', message: t('addressBook.removed') }),
    onSettled: refresh,
  });

  const startEditing = (id: string) => {
    save.reset();
    setEditing(id);
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('addressBook.title')}
        </Title>
        {editing !== 'new' && (
          <Button variant="light" onClick={() => startEditing('new')}>
            {t('addressBook.add')}
          </Button>
        )}
      </Group>
      {addresses.isError && (
        <ApiErrorAlert error={addresses.error} onRetry={() => void addresses.refetch()} />
      )}
      <ApiErrorAlert error={makeDefault.error ?? remove.error} />
      {editing === 'new' && (
        <Card withBorder padding="lg">
          <AddressForm
            saving={save.isPending}
            error={save.error}
            onSave={(body) => save.mutate({ id: null, body })}
            onCancel={() => setEditing(null)}
          />
        </Card>
      )}
      {addresses.isPending && <Skeleton h={160} />}
      {addresses.data?.length === 0 && editing !== 'new' && <Text c="dimmed">{t('addressBook.empty')}</Text>}
      {addresses.data && addresses.data.length > 0 && (
        <Stack component="ul" gap="sm" p={0} m={0} aria-label={t('addressBook.list')}>
          {addresses.data.map((address) => (
            <Card component="li" withBorder padding="md" key={address.id} style={{ listStyle: 'none' }}>
              {editing === address.id ? (
                <AddressForm
                  address={address}
                  saving={save.isPending}
                  error={save.error}
                  onSave={(body) => save.mutate({ id: address.id, body })}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <AddressCard
                  address={address}
                  busy={makeDefault.isPending || remove.isPending}
                  onEdit={() => startEditing(address.id)}
                  onMakeDefault={() => makeDefault.mutate(address.id)}
                  onRemove={() => remove.mutate(address.id)}
                />
              )}
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

interface AddressCardProps {
  address: SavedAddress;
  busy: boolean;
  onEdit: () => void;
  onMakeDefault: () => void;
  onRemove: () => void;
}

function AddressCard({ address, busy, onEdit, onMakeDefault, onRemove }: AddressCardProps) {
  const { t } = useTranslation();
  const name = address.label ?? t('addressBook.unnamed');
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Text fw={700}>{name}</Text>
        {address.isDefault && (
          <Badge variant="light" color="teal">
            {t('addressBook.defaultBadge')}
          </Badge>
        )}
      </Group>
      <Box>
        <Text size="sm">
          {address.receiverName} · {address.receiverPhone}
        </Text>
        <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {addressLine(address)}
        </Text>
      </Box>
      <Group gap="xs">
        <Button size="compact-sm" variant="default" onClick={onEdit}>
          {t('addressBook.edit')}
        </Button>
        {!address.isDefault && (
          <Button size="compact-sm" variant="default" onClick={onMakeDefault} disabled={busy}>
            {t('addressBook.makeDefault')}
          </Button>
        )}
        <Button
          size="compact-sm"
          variant="subtle"
          color="red"
          onClick={onRemove}
          disabled={busy}
          aria-label={t('addressBook.removeOf', { name })}
        >
          {t('addressBook.remove')}
        </Button>
      </Group>
    </Stack>
  );
}
