import { Autocomplete, Box, type BoxProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { AUTOCOMPLETE_KEYWORD_MAX_LENGTH, SEARCH_QUERY_MAX_LENGTH } from '@sagamart/contracts/rules';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { autocompleteQuery, type Suggestion } from '../catalog/catalog-api.ts';
import { productListPath, suggestionPath } from '../catalog/product-search.ts';

/** Long enough to skip the keystrokes of one word, short enough to feel immediate. */
const AUTOCOMPLETE_DEBOUNCE_MS = 250;

type ProductSearchBoxProps = Pick<BoxProps, 'visibleFrom' | 'hiddenFrom'>;

/**
 * Product search with suggestions as you type. Submitting searches the list (`/products?q=`); picking
 * a product name opens that product, a category its list, a keyword searches for it. On the list page the box
 * shows the current search, so back/forward keep it in step.
 */
export function ProductSearchBox(props: ProductSearchBoxProps) {
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const current = pathname === '/products' ? (params.get('q') ?? '') : '';
  // Remounts when the URL's search changes, so the box always starts from the active query.
  return <SearchField key={current} initial={current} {...props} />;
}

function SearchField({ initial, visibleFrom, hiddenFrom }: ProductSearchBoxProps & { initial: string }) {
  const navigate = useNavigate();
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const [keyword] = useDebouncedValue(text, AUTOCOMPLETE_DEBOUNCE_MS);
  // Suggestions for what the shopper is typing, not for the query the box was opened with; catalog
  // suggests for a shorter keyword than it searches for, so a longer one just gets none.
  const suggestable = keyword.trim() !== '' && keyword.trim().length <= AUTOCOMPLETE_KEYWORD_MAX_LENGTH;
  const suggestions = useQuery({
    ...autocompleteQuery(keyword),
    enabled: suggestable && keyword !== initial,
  });
  // The browser stops typing at maxLength; say why once the box is full.
  const full = text.length >= SEARCH_QUERY_MAX_LENGTH;
  const options = suggestable ? (suggestions.data ?? []) : [];

  const search = (q: string) => void navigate(productListPath({ q: q.trim() }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) search(text);
  };

  const pick = (value: string) => {
    const suggestion = options.find((option: Suggestion) => option.text === value);
    if (suggestion) void navigate(suggestionPath(suggestion));
    else search(value);
  };
  // Grouped by what a pick opens: a category's list, a product, or a search.
  const groups = (
    [
      ['CATEGORY', t('searchSuggest.groupCategory')],
      ['PRODUCT', t('searchSuggest.groupProduct')],
      ['KEYWORD', t('searchSuggest.groupKeyword')],
    ] as const
  )
    .map(([kind, group]) => ({
      group,
      items: options.filter((option) => option.kind === kind).map((option) => option.text),
    }))
    .filter((group) => group.items.length > 0);

  return (
    // Hidden as a whole (not just the input), so it leaves no gap where it is not shown.
    <Box
      component="search"
      visibleFrom={visibleFrom}
      hiddenFrom={hiddenFrom}
      style={{ flex: 1, maxWidth: 420 }}
    >
      <form onSubmit={submit}>
        <Autocomplete
          type="search"
          placeholder={t('nav.search')}
          aria-label={t('nav.search')}
          maxLength={SEARCH_QUERY_MAX_LENGTH}
          value={text}
          onChange={(value) => setText(value.slice(0, SEARCH_QUERY_MAX_LENGTH))}
          error={full ? t('searchSuggest.tooLong', { max: SEARCH_QUERY_MAX_LENGTH }) : undefined}
          onOptionSubmit={pick}
          data={groups}
          // The server already matched and ranked the suggestions.
          filter={({ options: all }) => all}
          limit={10}
          radius="xl"
        />
      </form>
    </Box>
  );
}
