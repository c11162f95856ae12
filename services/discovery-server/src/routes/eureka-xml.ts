/**
 * Eureka's JSON is its XML in disguise: `@name` keys are attributes, `$` is the text, arrays are
 * repeated elements. This writes the XML that Eureka answers when a client asks for it.
 */

const NAME = /^[A-Za-z_][\w.-]*$/;

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

export function toXml(value: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${Object.entries(value)
    .map(([name, v]) => element(name, v))
    .join('')}`;
}

function element(name: string, value: unknown): string {
  // Names that are not valid XML (odd metadata keys) are left out rather than break the document.
  if (!NAME.test(name) || value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (typeof value !== 'object') return `<${name}>${escapeXml(String(value))}</${name}>`;
  let attributes = '';
  let children = '';
  for (const [key, child] of Object.entries(value)) {
    if (key === '$') children += escapeXml(String(child));
    else if (key.startsWith('@') && NAME.test(key.slice(1)))
      attributes += ` ${key.slice(1)}="${escapeXml(String(child))}"`;
    else children += element(key, child);
  }
  return `<${name}${attributes}>${children}</${name}>`;
}
