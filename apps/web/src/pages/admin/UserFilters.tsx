import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import {
  ADMIN_USER_PAGE_SIZES,
  ADMIN_USER_SORTS,
  type AdminUserSearch,
} from '../../admin-users/user-search.ts';
import { USER_GRADES, USER_STATUSES, type UserGrade, type UserStatus } from '../../users/user-enums.ts';

interface UserFiltersProps {
  search: AdminUserSearch;
  onChange: (change: Partial<AdminUserSearch>) => void;
}

export function UserFilters({ search, onChange }: UserFiltersProps) {
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      {/* Remounts when the URL changes (back/forward), so the box always shows the active search. */}
      <SearchBox
        key={search.searchText}
        initial={search.searchText}
        onSearch={(searchText) => onChange({ searchText })}
      />
      <NativeSelect
        label="Status"
        value={search.status}
        onChange={(event) => onChange({ status: event.currentTarget.value as UserStatus | '' })}
        data={[{ value: '', label: 'All statuses' }, ...USER_STATUSES]}
      />
      <NativeSelect
        label="Grade"
        value={search.grade}
        onChange={(event) => onChange({ grade: event.currentTarget.value as UserGrade | '' })}
        data={[{ value: '', label: 'All grades' }, ...USER_GRADES]}
      />
      <NativeSelect
        label="Sort"
        value={search.sort}
        onChange={(event) => onChange({ sort: event.currentTarget.value })}
        data={[...ADMIN_USER_SORTS]}
      />
      <NativeSelect
        label="Rows per page"
        value={String(search.size)}
        onChange={(event) => onChange({ size: Number(event.currentTarget.value) })}
        data={ADMIN_USER_PAGE_SIZES.map(String)}
      />
    </Group>
  );
}

// Searches on submit rather than per keystroke: one request and one history entry per search.
function SearchBox({ initial, onSearch }: { initial: string; onSearch: (text: string) => void }) {
  const [text, setText] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(text.trim());
  };
  return (
    <search aria-label="Search users">
      <form onSubmit={submit}>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label="Search"
            placeholder="Email or name"
            type="search"
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            w={260}
          />
          <Button type="submit" variant="light">
            Search
          </Button>
        </Group>
      </form>
    </search>
  );
}
