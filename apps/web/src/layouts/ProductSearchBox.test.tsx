// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { AUTOCOMPLETE_KEYWORD_MAX_LENGTH, SEARCH_QUERY_MAX_LENGTH } from '@sagamart/contracts/rules';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
// The shop's words (the app's entry point loads them).
import '../i18n/i18n.ts';
import { ProductSearchBox } from './ProductSearchBox.tsx';

// catalog-service refuses a search longer than SEARCH_QUERY_MAX_LENGTH (and suggests for no keyword
// longer than AUTOCOMPLETE_KEYWORD_MAX_LENGTH); the box took any length and met a refusal.

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLElement;
let root: Root;
let requested: string[];

beforeEach(async () => {
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => {},
    removeEventListener: () => {},
    addListener: () => {},
    removeListener: () => {},
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
  requested = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      requested.push(String(input));
      return Response.json({ suggestions: [] });
    }),
  );
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => {
    root.render(
      <MantineProvider>
        <QueryClientProvider client={queryClient}>
          <MemoryRouter>
            <ProductSearchBox />
          </MemoryRouter>
        </QueryClientProvider>
      </MantineProvider>,
    );
  });
});

afterEach(async () => {
  await act(async () => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

const box = () => container.querySelector<HTMLInputElement>('input[type="search"]')!;

async function type(value: string) {
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  await act(async () => {
    setValue?.call(box(), value);
    box().dispatchEvent(new Event('input', { bubbles: true }));
  });
}

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
