import { NavLink, Skeleton, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { type CategoryNode, categoryTreeQuery } from '../../catalog/catalog-api.ts';
import { categoryPath } from '../../catalog/category-path.ts';
import { i18n } from '../../i18n/i18n.ts';

interface CategoryFilterProps {
  selectedId: number | null;
  /** The list URL with this category chosen (null: every category), the other filters kept. */
  linkTo: (categoryId: number | null) => string;
}

/**
 * The shop's category tree as links. Choosing a category shows its products and those of its
 * subcategories, and opens it, so the tree always shows where the shopper is.
 */
export function CategoryFilter({ selectedId, linkTo }: CategoryFilterProps) {
  const tree = useQuery(categoryTreeQuery);
  if (tree.isPending) return <Skeleton h={240} />;
  if (tree.isError) {
    return (
      <Text size="sm" c="dimmed">
        {i18n.t('productList.categoriesUnavailable')}
      </Text>
    );
  }
  const openIds = new Set(categoryPath(tree.data, selectedId).map((node) => node.id));
  return (
    <nav aria-label={i18n.t('productList.categoriesLabel')}>
      <Stack gap={0}>
        <NavLink
          component={Link}
          to={linkTo(null)}
          label={i18n.t('productList.allCategories')}
          active={selectedId === null}
          aria-current={selectedId === null ? 'page' : undefined}
        />
        {tree.data.map((node) => (
          <CategoryLink key={node.id} node={node} selectedId={selectedId} openIds={openIds} linkTo={linkTo} />
        ))}
      </Stack>
    </nav>
  );
}

interface CategoryLinkProps extends CategoryFilterProps {
  node: CategoryNode;
  openIds: ReadonlySet<number>;
}

function CategoryLink({ node, selectedId, openIds, linkTo }: CategoryLinkProps) {
  const selected = node.id === selectedId;
  return (
    <NavLink
      component={Link}
      to={linkTo(node.id)}
      label={node.name}
      active={selected}
      aria-current={selected ? 'page' : undefined}
      opened={openIds.has(node.id)}
      childrenOffset="sm"
    >
      {node.children.length > 0
        ? node.children.map((child) => (
            <CategoryLink
              key={child.id}
              node={child}
              selectedId={selectedId}
              openIds={openIds}
              linkTo={linkTo}
            />
          ))
        : undefined}
    </NavLink>
  );
}
