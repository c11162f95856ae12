import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Card,
  Group,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AdminCategory,
  adminCategoriesQuery,
  type CategoryInput,
  categoryInputOf,
  createCategory,
  deleteCategory,
  MAX_CATEGORY_DEPTH,
  updateCategory,
} from '../../admin-catalog/admin-categories-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';

/** Gaps between display orders, so a category can later go between two without renumbering. */
const ORDER_STEP = 10;

/**
 * `/admin/categories`: the category tree (at most three levels). Add, rename, reorder, show or hide
 * and delete categories; the shop's tree follows within seconds.
 */
export function CategoriesPage() {
  const { t } = useTranslation();
  const tree = useQuery(adminCategoriesQuery);
  const [addingTop, setAddingTop] = useState(false);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            {t('adminCatalog.categories.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('adminCatalog.categories.subtitle', { max: MAX_CATEGORY_DEPTH })}
          </Text>
        </div>
        <Button onClick={() => setAddingTop(true)} disabled={addingTop}>
          {t('adminCatalog.categories.addTop')}
        </Button>
      </Group>
      {tree.isError && <ApiErrorAlert error={tree.error} onRetry={() => void tree.refetch()} />}
      {tree.isPending && <Skeleton h={420} />}
      {tree.data && (
        <Card withBorder padding="md">
          {addingTop && (
            <NewCategoryForm parent={null} siblings={tree.data} onClose={() => setAddingTop(false)} />
          )}
          {tree.data.length === 0 && !addingTop ? (
            <Text c="dimmed">{t('adminCatalog.categories.empty')}</Text>
          ) : (
            <CategoryList nodes={tree.data} />
          )}
        </Card>
      )}
    </Stack>
  );
}

function CategoryList({ nodes }: { nodes: AdminCategory[] }) {
  return (
    <Box component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
      {nodes.map((node, index) => (
        <CategoryItem key={node.id} node={node} siblings={nodes} index={index} />
      ))}
    </Box>
  );
}

function useCategoryChanges() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(adminCategoriesQuery);
  return { refresh };
}

/** Siblings in their new order, numbered afresh; only the categories whose number changes are sent. */
async function reorder(siblings: AdminCategory[], from: number, to: number): Promise<void> {
  const next = [...siblings];
  const [moved] = next.splice(from, 1);
  if (!moved) return;
  next.splice(to, 0, moved);
  await Promise.all(
    next
      .map((category, position) => ({ category, displayOrder: (position + 1) * ORDER_STEP }))
      .filter(({ category, displayOrder }) => category.displayOrder !== displayOrder)
      .map(({ category, displayOrder }) =>
        updateCategory(category.id, { ...categoryInputOf(category), displayOrder }),
      ),
  );
}

function CategoryItem({
  node,
  siblings,
  index,
}: {
  node: AdminCategory;
  siblings: AdminCategory[];
  index: number;
}) {
  const { t } = useTranslation();
  const { refresh } = useCategoryChanges();
  const [renaming, setRenaming] = useState(false);
  const [adding, setAdding] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  const update = useMutation({
    mutationFn: (change: Partial<CategoryInput>) =>
      updateCategory(node.id, { ...categoryInputOf(node), ...change }),
    onSuccess: refresh,
  });
  const move = useMutation({
    mutationFn: (to: number) => reorder(siblings, index, to),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => deleteCategory(node.id),
    onSuccess: async () => {
      setConfirmingDelete(false);
      notifications.show({
        color: 'teal',
        message: t('adminCatalog.categories.deleted', { name: node.name }),
      });
      await refresh();
    },
  });

  const canHaveChildren = node.depth < MAX_CATEGORY_DEPTH && node.productCount === 0;

  return (
    <li>
      <Group
        justify="space-between"
        wrap="nowrap"
        py={6}
        pl={(node.depth - 1) * 28}
        style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
        data-testid="category-row"
      >
        {renaming ? (
          <RenameForm node={node} onClose={() => setRenaming(false)} />
        ) : (
          <Group gap="xs" wrap="nowrap">
            <Text fw={node.depth === 1 ? 700 : 500} c={node.displayed ? undefined : 'dimmed'}>
              {node.name}
            </Text>
            {!node.displayed && (
              <Badge size="xs" color="gray" variant="outline">
                {t('adminCatalog.displayed.hidden')}
              </Badge>
            )}
            {node.productCount > 0 && (
              <Badge size="xs" color="blue" variant="light">
                {t(
                  node.productCount === 1
                    ? 'adminCatalog.categories.productsOne'
                    : 'adminCatalog.categories.products',
                  { count: node.productCount },
                )}
              </Badge>
            )}
          </Group>
        )}
        <Group gap={6} wrap="nowrap">
          <Switch
            size="xs"
            label={t('adminCatalog.categories.shown')}
            aria-label={t('adminCatalog.categories.showInShop', { name: node.name })}
            checked={node.displayed}
            disabled={update.isPending}
            onChange={(event) => update.mutate({ displayed: event.currentTarget.checked })}
          />
          <ActionIcon
            variant="subtle"
            size="sm"
            aria-label={t('adminCatalog.categories.moveUp', { name: node.name })}
            disabled={index === 0 || move.isPending}
            onClick={() => move.mutate(index - 1)}
          >
            ↑
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            size="sm"
            aria-label={t('adminCatalog.categories.moveDown', { name: node.name })}
            disabled={index === siblings.length - 1 || move.isPending}
            onClick={() => move.mutate(index + 1)}
          >
            ↓
          </ActionIcon>
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => setRenaming(true)}
            aria-label={t('adminCatalog.categories.renameOf', { name: node.name })}
          >
            {t('adminCatalog.categories.rename')}
          </Button>
          {canHaveChildren && (
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => setAdding(true)}
              aria-label={t('adminCatalog.categories.addSubTo', { name: node.name })}
            >
              {t('adminCatalog.categories.addSub')}
            </Button>
          )}
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            onClick={() => {
              remove.reset();
              setConfirmingDelete(true);
            }}
            aria-label={t('adminCatalog.categories.deleteOf', { name: node.name })}
          >
            {t('adminCatalog.categories.delete')}
          </Button>
        </Group>
      </Group>
      <ApiErrorAlert
        error={update.error ?? move.error}
        title={t('adminCatalog.categories.changeFailed', { name: node.name })}
      />
      {adding && (
        <Box pl={node.depth * 28}>
          <NewCategoryForm parent={node} siblings={node.children} onClose={() => setAdding(false)} />
        </Box>
      )}
      {node.children.length > 0 && <CategoryList nodes={node.children} />}
      <ConfirmDialog
        opened={confirmingDelete}
        title={t('adminCatalog.categories.deleteTitle', { name: node.name })}
        confirmLabel={t('adminCatalog.categories.deleteConfirm')}
        danger
        loading={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirmingDelete(false)}
      >
        <Stack gap="sm">
          <Text size="sm">
            {node.children.length > 0
              ? t('adminCatalog.categories.deleteWithChildren', {
                  name: node.name,
                  count: node.children.length,
                })
              : t('adminCatalog.categories.deleteLeaf', { name: node.name })}
          </Text>
          <ApiErrorAlert error={remove.error} title={t('adminCatalog.categories.deleteFailed')} />
        </Stack>
      </ConfirmDialog>
    </li>
  );
}

function RenameForm({ node, onClose }: { node: AdminCategory; onClose: () => void }) {
  const { t } = useTranslation();
  const { refresh } = useCategoryChanges();
  const [name, setName] = useState(node.name);
  const rename = useMutation({
    mutationFn: () => updateCategory(node.id, { ...categoryInputOf(node), name: name.trim() }),
    onSuccess: async () => {
      await refresh();
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() && name.trim() !== node.name) rename.mutate();
    else onClose();
  };
  return (
    <form onSubmit={submit} style={{ flex: 1 }}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <TextInput
          aria-label={t('adminCatalog.categories.newName', { name: node.name })}
          value={name}
          maxLength={50}
          onChange={(event) => setName(event.currentTarget.value)}
          error={rename.error?.message}
          size="xs"
          autoFocus
        />
        <Button type="submit" size="xs" loading={rename.isPending}>
          {t('common.save')}
        </Button>
        <Button size="xs" variant="subtle" color="gray" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </Group>
    </form>
  );
}

function NewCategoryForm({
  parent,
  siblings,
  onClose,
}: {
  parent: AdminCategory | null;
  siblings: AdminCategory[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { refresh } = useCategoryChanges();
  const [name, setName] = useState('');
  const [displayed, setDisplayed] = useState(true);
  const create = useMutation({
    mutationFn: () =>
      createCategory({
        name: name.trim(),
        parentId: parent?.id ?? null,
        // New categories go last among their siblings.
        displayOrder: Math.max(0, ...siblings.map((sibling) => sibling.displayOrder)) + ORDER_STEP,
        displayed,
      }),
    onSuccess: async (created) => {
      notifications.show({
        color: 'teal',
        message: t('adminCatalog.categories.added', { name: created.name }),
      });
      await refresh();
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) create.mutate();
  };
  const label = parent
    ? t('adminCatalog.categories.newSubName', { name: parent.name })
    : t('adminCatalog.categories.newTopName');
  return (
    <form onSubmit={submit}>
      <Stack gap="xs" py="sm">
        <ApiErrorAlert error={create.error} title={t('adminCatalog.categories.addFailed')} />
        <Group gap="xs" align="flex-end">
          <TextInput
            label={label}
            value={name}
            maxLength={50}
            onChange={(event) => setName(event.currentTarget.value)}
            size="xs"
            w={320}
            autoFocus
          />
          <Switch
            size="xs"
            label={t('adminCatalog.categories.displayed')}
            checked={displayed}
            onChange={(event) => setDisplayed(event.currentTarget.checked)}
            mb={6}
          />
          <Button type="submit" size="xs" loading={create.isPending} disabled={!name.trim()}>
            {t('adminCatalog.categories.add')}
          </Button>
          <Button size="xs" variant="subtle" color="gray" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
