import { Button, Group, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';

/** Where a detail page's "Back" link returns to: the list with the same filters. */
export interface ListLocationState {
  listSearch?: string;
}

// Searches on submit rather than per keystroke: one request and one history entry per search.
export function ListSearchBox({
  initial,
  label,
  fieldLabel = 'Search',
  placeholder = 'Code or name',
  buttonLabel = 'Search',
  onSearch,
}: {
  initial: string;
  label: string;
  /** The text field's own label, when a page has more than one search. */
  fieldLabel?: string;
  placeholder?: string;
  /** The button's word (the translated admin pages pass their own). */
  buttonLabel?: string;
  onSearch: (text: string) => void;
}) {
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
            label={fieldLabel}
            placeholder={placeholder}
            type="search"
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            w={240}
          />
          <Button type="submit" variant="light">
            {buttonLabel}
          </Button>
        </Group>
      </form>
    </search>
  );
}
