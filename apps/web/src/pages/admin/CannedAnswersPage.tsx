import { ActionIcon, Button, Card, Group, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CannedAnswer,
  CHAT_TEXT_MAX,
  cannedAnswersQuery,
  codePointLength,
  deleteCannedAnswer,
  saveCannedAnswer,
} from '../../chat/chat-api.ts';
import { currentLanguage } from '../../i18n/i18n.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';

/** The short code rule of the server's CannedAnswerBody schema. */
const SHORT_CODE = /^[0-9A-Za-z가-힣_-]{1,40}$/;

/** Canned answers: the snippets agents insert from the console's 답변 menu. */
export function CannedAnswersPage() {
  const { t } = useTranslation();
  const answers = useQuery(cannedAnswersQuery);
  const [editing, setEditing] = useState<CannedAnswer | null>(null);
  const [deleting, setDeleting] = useState<CannedAnswer | null>(null);
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: number) => deleteCannedAnswer(id),
    onSuccess: () => setDeleting(null),
    onSettled: () => queryClient.invalidateQueries({ queryKey: cannedAnswersQuery.queryKey }),
  });

  const columns: DataColumn<CannedAnswer>[] = [
    {
      key: 'shortCode',
      header: t('chat.answers.shortCode'),
      width: 160,
      phone: 'title',
      cell: (answer) => (
        <Text size="sm" ff="monospace">
          /{answer.shortCode}
        </Text>
      ),
    },
    {
      key: 'content',
      header: t('chat.answers.content'),
      phoneLabel: false,
      cell: (answer) => (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={3}>
          {answer.content}
        </Text>
      ),
    },
    {
      key: 'actions',
      header: '',
      width: 120,
      phone: 'actions',
      cell: (answer) => (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Button size="compact-xs" variant="subtle" onClick={() => setEditing(answer)}>
            {t('chat.answers.edit')}
          </Button>
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={t('chat.answers.remove', { code: answer.shortCode })}
            onClick={() => setDeleting(answer)}
          >
            ✕
          </ActionIcon>
        </Group>
      ),
    },
  ];

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('chat.answers.title')}
      </Title>
      <AnswerForm key={editing?.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
      <ApiErrorAlert error={answers.error ?? remove.error} />
      <Card withBorder padding={0}>
        {answers.data?.content.length === 0 ? (
          <Text size="sm" c="dimmed" ta="center" py="md">
            {t('chat.answers.empty')}
          </Text>
        ) : (
          <DataTable
            label={t('chat.answers.title')}
            columns={columns}
            rows={answers.data?.content ?? []}
            rowKey={(answer) => answer.id}
            minWidth={480}
            verticalSpacing="xs"
            highlightOnHover
          />
        )}
      </Card>
      <ConfirmDialog
        opened={deleting !== null}
        title={t('chat.answers.removeTitle')}
        confirmLabel={t('chat.answers.removeConfirm')}
        danger
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      >
        {t('chat.answers.removeText', { code: deleting?.shortCode ?? '' })}
      </ConfirmDialog>
    </Stack>
  );
}

function AnswerForm({ editing, onDone }: { editing: CannedAnswer | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [shortCode, setShortCode] = useState(editing?.shortCode ?? '');
  const [content, setContent] = useState(editing?.content ?? '');
  const save = useMutation({
    mutationFn: () => saveCannedAnswer({ shortCode, content }, editing?.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: cannedAnswersQuery.queryKey });
      notifications.show({
        color: 'teal',
        message: editing ? t('chat.answers.updated') : t('chat.answers.added'),
      });
      setShortCode('');
      setContent('');
      onDone();
    },
  });
  const codeError = shortCode !== '' && !SHORT_CODE.test(shortCode) ? t('chat.answers.shortCodeRule') : null;
  const tooLong = codePointLength(content) > CHAT_TEXT_MAX;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!codeError && !tooLong && shortCode && content.trim()) save.mutate();
  };
  return (
    <Card withBorder component="form" onSubmit={submit} padding="md">
      <Stack gap="sm">
        <Text fw={600}>
          {editing ? t('chat.answers.editTitle', { code: editing.shortCode }) : t('chat.answers.newTitle')}
        </Text>
        <ApiErrorAlert error={save.error} title={t('chat.answers.saveFailed')} />
        <TextInput
          label={t('chat.answers.shortCode')}
          placeholder={t('chat.answers.shortCodeExample')}
          value={shortCode}
          onChange={(event) => setShortCode(event.currentTarget.value)}
          error={codeError}
          maxLength={40}
          required
        />
        <Textarea
          label={t('chat.answers.content')}
          autosize
          minRows={2}
          maxRows={8}
          value={content}
          onChange={(event) => setContent(event.currentTarget.value)}
          error={
            tooLong
              ? t('chat.answers.tooLong', { max: CHAT_TEXT_MAX.toLocaleString(currentLanguage()) })
              : null
          }
          required
        />
        <Group>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={!shortCode || !content.trim() || Boolean(codeError) || tooLong}
          >
            {editing ? t('common.save') : t('chat.answers.add')}
          </Button>
          {editing && (
            <Button variant="subtle" color="gray" onClick={onDone}>
              {t('common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
