import { Button, Group, Stack, Text } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { autocompleteQuery, productSearchQuery, type Suggestion } from '../../catalog/catalog-api.ts';
import { suggestionPath } from '../../catalog/product-search.ts';
import { ProductGrid } from './ProductGrid.tsx';

/** At most this many words of the query ask for suggestions; at most this many are shown. */
const WORDS = 3;
const SHOWN = 8;

/**
 * What a search that found nothing offers instead: the categories, keywords and product names the
 * catalog suggests for each word typed (and for a word's first two letters, which forgives a typo at
 * its end: 맨투멘 → 맨투맨), then the best sellers.
 */
export function NoResultsSuggestions({ q }: { q: string }) {
  const { t } = useTranslation();
  const words = q.split(/\s+/).filter(Boolean).slice(0, WORDS);
  const keywords = [
    ...new Set(words.flatMap((w) => ([...w].length > 2 ? [w, [...w].slice(0, 2).join('')] : [w]))),
  ];
  const answers = useQueries({ queries: keywords.map((keyword) => autocompleteQuery(keyword)) });
  const seen = new Set<string>();
  const suggestions: Suggestion[] = [];
  for (const answer of answers)
    for (const suggestion of answer.data ?? []) {
      if (seen.has(suggestion.text) || suggestions.length >= SHOWN) continue;
      seen.add(suggestion.text);
      suggestions.push(suggestion);
    }
  const popular = useQuery(
    productSearchQuery({
      q: '',
      categoryId: null,
      minPrice: null,
      maxPrice: null,
      inStock: true,
      sort: 'popular',
      page: 0,
      size: 4,
    }),
  );

  return (
    <Stack gap="md" w="100%">
      {suggestions.length > 0 && (
        <Stack gap="xs" align="center">
          <Text size="sm" fw={600}>
            {t('searchSuggest.tryThese')}
          </Text>
          <Group
            gap="xs"
            justify="center"
            component="ul"
            aria-label={t('searchSuggest.tryThese')}
            p={0}
            m={0}
          >
            {suggestions.map((suggestion) => (
              <li key={`${suggestion.kind}:${suggestion.text}`} style={{ listStyle: 'none' }}>
                <Button
                  component={Link}
                  to={suggestionPath(suggestion)}
                  variant="light"
                  size="xs"
                  radius="xl"
                >
                  {suggestion.kind === 'CATEGORY'
                    ? t('searchSuggest.category', { name: suggestion.text })
                    : suggestion.text}
                </Button>
              </li>
            ))}
          </Group>
        </Stack>
      )}
      {popular.data && popular.data.content.length > 0 && (
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t('searchSuggest.popular')}
          </Text>
          <ProductGrid products={popular.data.content} label={t('searchSuggest.popular')} />
        </Stack>
      )}
    </Stack>
  );
}
