import { Button, Group, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Where a detail page's "Back" link returns to: the list with the same filters. */
export interface ListLocationState {
  listSearch?: string;
}

// Searches on submit rather than per keystroke: one request and one history entry per search.
export function ListSearchBox({
  initial,
  label,
  fieldLabel,
  placeholder,
  buttonLabel,
  onSearch,
}: {
  initial: string;
  label: string;
  /** The text field's own label, when a page has more than one search (검색 / Search otherwise). */
  fieldLabel?: string;
  placeholder?: string;
  /** The button's word (검색 / Search otherwise). */
  buttonLabel?: string;
  onSearch: (text: string) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(text.trim());
  };
  return (
    <search aria-label={label}>
      <form onSubmit={submit}>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label={fieldLabel ?? t('common.search')}
            placeholder={placeholder}
            type="search"
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            w={240}
          />
          <Button type="submit" variant="light">
            {buttonLabel ?? t('common.search')}
          </Button>
        </Group>
      </form>
    </search>
  );
}
