import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      {/* Remounts when the URL changes (back/forward), so the box always shows the active search. */}
      <SearchBox
        key={search.searchText}
        initial={search.searchText}
        onSearch={(searchText) => onChange({ searchText })}
      />
      <NativeSelect
        label={t('adminUsers.filters.status')}
        value={search.status}
        onChange={(event) => onChange({ status: event.currentTarget.value as UserStatus | '' })}
        data={[
          { value: '', label: t('adminUsers.filters.allStatuses') },
          ...USER_STATUSES.map((status) => ({ value: status, label: t(`status.user.${status}`) })),
        ]}
      />
      <NativeSelect
        label={t('adminUsers.filters.grade')}
        value={search.grade}
        onChange={(event) => onChange({ grade: event.currentTarget.value as UserGrade | '' })}
        data={[
          { value: '', label: t('adminUsers.filters.allGrades') },
          ...USER_GRADES.map((grade) => ({ value: grade, label: t(`status.grade.${grade}`) })),
        ]}
      />
      <NativeSelect
        label={t('adminUsers.filters.sort')}
        value={search.sort}
        onChange={(event) => onChange({ sort: event.currentTarget.value })}
        data={ADMIN_USER_SORTS.map((sort) => ({
          value: sort.value,
          label: t(`adminUsers.filters.sortBy.${sort.labelKey}`),
        }))}
      />
      <NativeSelect
        label={t('adminUsers.filters.size')}
        value={String(search.size)}
        onChange={(event) => onChange({ size: Number(event.currentTarget.value) })}
        data={ADMIN_USER_PAGE_SIZES.map(String)}
      />
    </Group>
  );
}

// Searches on submit rather than per keystroke: one request and one history entry per search.
function SearchBox({ initial, onSearch }: { initial: string; onSearch: (text: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(text.trim());
  };
  return (
    <search aria-label={t('adminUsers.filters.region')}>
      <form onSubmit={submit}>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label={t('common.search')}
            placeholder={t('adminUsers.filters.searchPlaceholder')}
            type="search"
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            w={260}
          />
          <Button type="submit" variant="light">
            {t('common.search')}
          </Button>
        </Group>
      </form>
    </search>
  );
}
