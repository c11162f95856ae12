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
  placeholder = 'Code or name',
  inputLabel = 'Search',
  buttonLabel = 'Search',
  onSearch,
}: {
  initial: string;
  label: string;
  placeholder?: string;
  /** The field's and the button's words (the translated admin pages pass their own). */
  inputLabel?: string;
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
            label={inputLabel}
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
