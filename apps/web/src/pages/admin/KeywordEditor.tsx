import { ActionIcon, Button, Card, Group, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addKeyword,
  type Keyword,
  productKeywordsQuery,
  removeKeyword,
  renameKeyword,
} from '../../admin-catalog/admin-products-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';

const KEYWORD_MAX_LENGTH = 50;

/** Extra words the shop search finds the product by (synonyms, misspellings, English names). */
export function KeywordEditor({ productId }: { productId: number }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const keywords = useQuery(productKeywordsQuery(productId));
  const [text, setText] = useState('');
  const refresh = () => queryClient.invalidateQueries(productKeywordsQuery(productId));

  const add = useMutation({
    mutationFn: (keyword: string) => addKeyword(productId, keyword),
    onSuccess: async () => {
      setText('');
      await refresh();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) add.mutate(text.trim());
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="keywords-title">
      <Stack gap="sm">
        <div>
          <Title id="keywords-title" order={2} size="h4">
            {t('adminCatalog.keywords.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('adminCatalog.keywords.subtitle')}
          </Text>
        </div>
        <ApiErrorAlert error={add.error} title={t('adminCatalog.keywords.addFailed')} />
        {keywords.isPending && <Skeleton h={60} />}
        {keywords.isError && <ApiErrorAlert error={keywords.error} onRetry={() => void keywords.refetch()} />}
        {keywords.data && keywords.data.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('adminCatalog.keywords.empty')}
          </Text>
        )}
        {keywords.data && keywords.data.length > 0 && (
          <Stack gap={6} component="ul" p={0} m={0} aria-label={t('adminCatalog.keywords.list')}>
            {keywords.data.map((keyword) => (
              <KeywordRow
                key={`${keyword.id}:${keyword.keyword}`}
                productId={productId}
                keyword={keyword}
                onChanged={refresh}
              />
            ))}
          </Stack>
        )}
        <form onSubmit={submit}>
          <Group align="flex-end" gap="xs">
            <TextInput
              label={t('adminCatalog.keywords.new')}
              value={text}
              maxLength={KEYWORD_MAX_LENGTH}
              onChange={(event) => setText(event.currentTarget.value)}
              w={260}
            />
            <Button type="submit" variant="light" loading={add.isPending} disabled={!text.trim()}>
              {t('adminCatalog.keywords.add')}
            </Button>
          </Group>
        </form>
      </Stack>
    </Card>
  );
}

function KeywordRow({
  productId,
  keyword,
  onChanged,
}: {
  productId: number;
  keyword: Keyword;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(keyword.keyword);
  const rename = useMutation({
    mutationFn: () => renameKeyword(productId, keyword.id, text.trim()),
    onSuccess: async () => {
      setEditing(false);
      await onChanged();
    },
  });
  const remove = useMutation({
    mutationFn: () => removeKeyword(productId, keyword.id),
    onSuccess: onChanged,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() && text.trim() !== keyword.keyword) rename.mutate();
    else setEditing(false);
  };

  return (
    <li style={{ listStyle: 'none' }}>
      {editing ? (
        <form onSubmit={submit}>
          <Group gap="xs">
            <TextInput
              aria-label={t('adminCatalog.keywords.renameField', { keyword: keyword.keyword })}
              value={text}
              maxLength={KEYWORD_MAX_LENGTH}
              onChange={(event) => setText(event.currentTarget.value)}
              size="xs"
              w={220}
              autoFocus
            />
            <Button type="submit" size="xs" loading={rename.isPending}>
              {t('common.save')}
            </Button>
            <Button size="xs" variant="subtle" color="gray" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </form>
      ) : (
        <Group gap="xs">
          <Text size="sm" fw={500} miw={160}>
            {keyword.keyword}
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)}>
            {t('adminCatalog.keywords.rename')}
          </Button>
          <ActionIcon
            size="sm"
            variant="subtle"
            color="red"
            aria-label={t('adminCatalog.keywords.remove', { keyword: keyword.keyword })}
            loading={remove.isPending}
            onClick={() => remove.mutate()}
          >
            ✕
          </ActionIcon>
        </Group>
      )}
      <ApiErrorAlert error={rename.error ?? remove.error} title={t('adminCatalog.keywords.changeFailed')} />
    </li>
  );
}
