// Test-only: shows a page in happy-dom the way the app shows it, and stands in for the gateway.
// Only *.test.tsx files import this module: vitest collects *.test.* files alone, and the build bundles
// only what src/main.tsx reaches, so it is neither a suite nor shipped.
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, type MemoryRouterProps } from 'react-router';
import { vi } from 'vitest';
import type { ProblemDetails } from '../api/api-error.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
// React warns of updates outside act() only where it is told tests are running.
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const shownPages: { root: Root; container: HTMLElement }[] = [];

/**
 * Renders `page` as the app does (Mantine, a query client that does not retry, a router at
 * `entries`, else at `/`) into a fresh container in the document, and returns the container.
 */
export async function renderPage(
  page: ReactNode,
  entries?: MemoryRouterProps['initialEntries'],
): Promise<HTMLElement> {
  // Mantine asks matchMedia for the colour scheme: a DOM without one gets one that matches nothing.
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
  // Mantine's autosizing textarea listens for web fonts, which happy-dom does not have.
  if (!('fonts' in document))
    Object.defineProperty(document, 'fonts', {
      value: { addEventListener: () => {}, removeEventListener: () => {} },
      configurable: true,
    });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  shownPages.push({ root, container });
  await act(async () => {
    root.render(
      <MantineProvider>
        <QueryClientProvider client={queryClient}>
          <MemoryRouter initialEntries={entries}>{page}</MemoryRouter>
        </QueryClientProvider>
      </MantineProvider>,
    );
  });
  return container;
}

/** For afterEach: unmounts and removes what renderPage showed, and takes back the stubbed globals (fetch). */
export async function cleanUpPages(): Promise<void> {
  for (const { root, container } of shownPages.splice(0).reverse()) {
    await act(async () => root.unmount());
    container.remove();
  }
  vi.unstubAllGlobals();
}

/** What a wait looks for: anything but undefined, null or false once it is there. */
export type Reading<T> = () => T | undefined | null | false;

/**
 * Waits (bounded: `attempts` steps of 20 ms) until `read` finds what it looks for, and returns it;
 * else fails with the text the last rendered page shows.
 */
export async function shown<T>(read: Reading<T>, attempts = 100): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = read();
    if (value) return value;
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
  }
  throw new Error(`not shown: ${shownPages.at(-1)?.container.textContent}`);
}

/** Types `value` into a React-controlled input, as a keyboard would leave it. */
export async function typeInto(field: HTMLInputElement, value: string): Promise<void> {
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  await act(async () => {
    setValue?.call(field, value);
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** One request as the page sent it (the app's client sends a path, relative to the shop). */
export interface SentRequest {
  method: string;
  url: URL;
  body: RequestInit['body'];
}

export type Answer = (request: SentRequest) => Response | Promise<Response>;

/** The title a problem carries unless `fields` gives one. */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  503: 'Service Unavailable',
};

/** A platform error as the services send it: RFC 9457 problem+json (`fields` may add extensions). */
export function problem(status: number, fields: ProblemDetails & Record<string, unknown> = {}): Response {
  return Response.json(
    { title: REASONS[status] ?? 'Error', status, ...fields },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );
}

/**
 * Stands in for the gateway: `answers` is keyed by `'METHOD /path'`, or by `'/path'` for any method
 * (the path whole, without the query); any other request gets `otherwise` (a 404 problem unless
 * given). Returns every URL asked for, as the page asked for it.
 */
export function stubFetch(answers: Record<string, Answer>, otherwise: Answer = () => problem(404)): string[] {
  const requested: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      requested.push(String(input));
      const url = new URL(String(input), 'http://shop.test');
      const method = init?.method ?? 'GET';
      const answer = answers[`${method} ${url.pathname}`] ?? answers[url.pathname] ?? otherwise;
      return answer({ method, url, body: init?.body });
    }),
  );
  return requested;
}
