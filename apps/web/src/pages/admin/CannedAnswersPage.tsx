import {
  ActionIcon,
  Button,
  Card,
  Group,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type CannedAnswer,
  CHAT_TEXT_MAX,
  cannedAnswersQuery,
  codePointLength,
  deleteCannedAnswer,
  saveCannedAnswer,
} from '../../chat/chat-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';

/** The short code rule of the server's CannedAnswerBody schema. */
const SHORT_CODE = /^[0-9A-Za-z가-힣_-]{1,40}$/;

/** Canned answers: the snippets agents insert from the console's 답변 menu. */
export function CannedAnswersPage() {
  const answers = useQuery(cannedAnswersQuery);
  const [editing, setEditing] = useState<CannedAnswer | null>(null);
  const [deleting, setDeleting] = useState<CannedAnswer | null>(null);
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: number) => deleteCannedAnswer(id),
    onSuccess: () => setDeleting(null),
    onSettled: () => queryClient.invalidateQueries({ queryKey: cannedAnswersQuery.queryKey }),
  });

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        자주 쓰는 답변
      </Title>
      <AnswerForm key={editing?.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
      <ApiErrorAlert error={answers.error ?? remove.error} />
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={160}>단축어</Table.Th>
                <Table.Th>내용</Table.Th>
                <Table.Th w={120} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {answers.data?.content.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={3}>
                    <Text size="sm" c="dimmed" ta="center" py="md">
                      등록된 답변이 없습니다.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {answers.data?.content.map((answer) => (
                <Table.Tr key={answer.id}>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      /{answer.shortCode}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={3}>
                      {answer.content}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(answer)}>
                        수정
                      </Button>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`/${answer.shortCode} 삭제`}
                        onClick={() => setDeleting(answer)}
                      >
                        ✕
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <ConfirmDialog
        opened={deleting !== null}
        title="답변을 삭제할까요?"
        confirmLabel="삭제"
        danger
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      >
        /{deleting?.shortCode} 답변이 모든 상담원의 목록에서 사라집니다.
      </ConfirmDialog>
    </Stack>
  );
}

function AnswerForm({ editing, onDone }: { editing: CannedAnswer | null; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [shortCode, setShortCode] = useState(editing?.shortCode ?? '');
  const [content, setContent] = useState(editing?.content ?? '');
  const save = useMutation({
    mutationFn: () => saveCannedAnswer({ shortCode, content }, editing?.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: cannedAnswersQuery.queryKey });
      notifications.show({
        color: 'teal',
        message: editing ? '답변을 수정했습니다.' : '답변을 추가했습니다.',
      });
      setShortCode('');
      setContent('');
      onDone();
    },
  });
  const codeError =
    shortCode !== '' && !SHORT_CODE.test(shortCode) ? '한글, 영문, 숫자, -, _ 로 40자까지' : null;
  const tooLong = codePointLength(content) > CHAT_TEXT_MAX;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!codeError && !tooLong && shortCode && content.trim()) save.mutate();
  };
  return (
    <Card withBorder component="form" onSubmit={submit} padding="md">
      <Stack gap="sm">
        <Text fw={600}>{editing ? `/${editing.shortCode} 수정` : '새 답변'}</Text>
        <ApiErrorAlert error={save.error} title="저장하지 못했습니다" />
        <TextInput
          label="단축어"
          placeholder="예: 배송안내"
          value={shortCode}
          onChange={(event) => setShortCode(event.currentTarget.value)}
          error={codeError}
          maxLength={40}
          required
        />
        <Textarea
          label="내용"
          autosize
          minRows={2}
          maxRows={8}
          value={content}
          onChange={(event) => setContent(event.currentTarget.value)}
          error={tooLong ? `${CHAT_TEXT_MAX.toLocaleString('ko-KR')}자까지` : null}
          required
        />
        <Group>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={!shortCode || !content.trim() || Boolean(codeError) || tooLong}
          >
            {editing ? '저장' : '추가'}
          </Button>
          {editing && (
            <Button variant="subtle" color="gray" onClick={onDone}>
              취소
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
