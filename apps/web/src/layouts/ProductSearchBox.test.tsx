// @vitest-environment happy-dom
import { AUTOCOMPLETE_KEYWORD_MAX_LENGTH, SEARCH_QUERY_MAX_LENGTH } from '@sagamart/contracts/rules';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// The shop's words (the app's entry point loads them).
import '../i18n/i18n.ts';
import { cleanUpPages, renderPage, stubFetch, typeInto } from '../testing/page-harness.tsx';
import { ProductSearchBox } from './ProductSearchBox.tsx';

// catalog-service refuses a search longer than SEARCH_QUERY_MAX_LENGTH (and suggests for no keyword
// longer than AUTOCOMPLETE_KEYWORD_MAX_LENGTH); the box took any length and met a refusal.

let container: HTMLElement;
let requested: string[];

beforeEach(async () => {
  requested = stubFetch({}, () => Response.json({ suggestions: [] }));
  container = await renderPage(<ProductSearchBox />);
});

afterEach(cleanUpPages);

const box = () => container.querySelector<HTMLInputElement>('input[type="search"]')!;

const type = (value: string) => typeInto(box(), value);

/** Past the box's suggestion debounce, so a request it would send has been sent. */
const afterDebounce = () => act(() => new Promise((resolve) => setTimeout(resolve, 400)));

describe('the search box', () => {
  it('takes no more than catalog-service searches for, and says so in Korean', async () => {
    expect(box().maxLength).toBe(SEARCH_QUERY_MAX_LENGTH);
    await type('가'.repeat(SEARCH_QUERY_MAX_LENGTH + 20));
    expect(box().value).toHaveLength(SEARCH_QUERY_MAX_LENGTH);
    expect(container.textContent).toContain(`검색어는 ${SEARCH_QUERY_MAX_LENGTH}자까지 입력할 수 있습니다`);
  });

  it('asks for suggestions only for a keyword catalog-service suggests for', async () => {
    await type('가'.repeat(AUTOCOMPLETE_KEYWORD_MAX_LENGTH + 1));
    await afterDebounce();
    expect(requested.filter((url) => url.includes('/autocomplete'))).toEqual([]);

    await type('맨투맨');
    await afterDebounce();
    expect(requested.filter((url) => url.includes('/autocomplete'))).toHaveLength(1);
  });
});
