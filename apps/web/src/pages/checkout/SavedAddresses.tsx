import { Anchor, Checkbox, Chip, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { addressLine, type SavedAddress } from '../../users/addresses-api.ts';

interface SavedAddressPickerProps {
  addresses: SavedAddress[];
  /** The saved address the form holds now, if any. */
  selected: SavedAddress | undefined;
  disabled: boolean;
  onPick: (address: SavedAddress) => void;
}

/** The address book at checkout: one tap fills the delivery form. */
export function SavedAddressPicker({ addresses, selected, disabled, onPick }: SavedAddressPickerProps) {
  const { t } = useTranslation();
  if (addresses.length === 0) return null;
  return (
    <Stack gap={6}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500} id="saved-addresses-label">
          {t('addressBook.pick')}
        </Text>
        <Anchor component={Link} to="/me/addresses" size="xs">
          {t('addressBook.manage')}
        </Anchor>
      </Group>
      <Group gap="xs" role="radiogroup" aria-labelledby="saved-addresses-label">
        {addresses.map((address) => (
          <Chip
            key={address.id}
            checked={selected?.id === address.id}
            onChange={() => onPick(address)}
            disabled={disabled}
            variant="outline"
            type="radio"
            title={addressLine(address)}
          >
            {address.label ?? address.receiverName}
            {address.isDefault ? ` · ${t('addressBook.defaultBadge')}` : ''}
          </Chip>
        ))}
      </Group>
      {selected && (
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {addressLine(selected)}
        </Text>
      )}
    </Stack>
  );
}

export function SaveAddressCheckbox({
  checked,
  disabled,
  onChange,
}: {
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <Checkbox
      label={t('addressBook.saveThis')}
      checked={checked}
      disabled={disabled}
      onChange={(event) => onChange(event.currentTarget.checked)}
    />
  );
}
