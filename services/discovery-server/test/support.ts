import type { ConfigTree } from '@sagamart/kit';
import { startTestService } from '@sagamart/testkit';
import discoveryServer from '../src/index.ts';

/** The discovery server on a free loopback port, with no database (it needs none). */
export function startDiscoveryServer(registry: ConfigTree = {}) {
  return startTestService(discoveryServer, { config: { database: { url: '' }, registry } });
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected loosely
  body: any;
}

/** A tiny HTTP client for assertions on status, content type and body. */
export function http(baseUrl: string) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      contentType,
      text,
      body: contentType.includes('json') && text ? JSON.parse(text) : text,
    };
  };
}

export { metricValue } from '@sagamart/testkit';
