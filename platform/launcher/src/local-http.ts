import { request } from 'node:http';

/**
 * A GET to one of the platform's own servers over `node:http`. Not fetch: its first use loads Node's
 * bundled undici and compiles its WebAssembly HTTP parser, about 5 MB the launcher would keep for as
 * long as the platform runs, for a few health checks at start (docs/performance.md, change 24).
 */
export function getLocal(
  url: string,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ ok: boolean; status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        resolve({ ok: status >= 200 && status < 300, status, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`GET ${url}: no answer within ${options.timeoutMs ?? 2_000} ms`)),
      options.timeoutMs ?? 2_000,
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}
