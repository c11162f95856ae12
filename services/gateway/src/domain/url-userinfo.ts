/**
 * A URL without its userinfo: `http://sagamart:<password>@host:8761/eureka/` (the documented form of
 * `discovery.url`) becomes `http://host:8761/eureka/`, so a password in a URL is never shown or sent on.
 */
export function withoutUserinfo(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/?#]*@/, '//');
  }
}
