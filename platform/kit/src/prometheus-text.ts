/**
 * Reads the Prometheus text exposition format (0.0.4: what /metrics of every service writes, through
 * prom-client, which only writes it). Enough for the platform's own consoles: samples with their labels;
 * HELP/TYPE lines and timestamps are skipped. prom-client has no parser, and the npm parsers merge the
 * series of a labelled histogram.
 */

/** One sample line: `name{label="value",…} value [timestamp]`. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Every sample of a scrape, in order. A malformed line throws, naming its line number. */
export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      samples.push(parseSample(line));
    } catch (error) {
      throw new Error(`line ${i + 1} is not a Prometheus sample: ${(error as Error).message}`);
    }
  }
  return samples;
}

function parseSample(line: string): PrometheusSample {
  const name = NAME.exec(line)?.[0];
  if (!name) throw new Error('no metric name');
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1).trimStart();
    while (!rest.startsWith('}')) {
      const label = LABEL_NAME.exec(rest)?.[0];
      if (!label) throw new Error('bad label name');
      rest = rest.slice(label.length).trimStart();
      if (!rest.startsWith('="')) throw new Error(`label ${label} has no quoted value`);
      const [value, length] = quoted(rest, 2);
      labels[label] = value;
      rest = rest.slice(length).trimStart();
      if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
      else if (!rest.startsWith('}')) throw new Error('expected , or }');
    }
    rest = rest.slice(1);
  }
  const [valueText] = rest.trim().split(/\s+/);
  const value = parseValue(valueText ?? '');
  return { name, labels, value };
}

/** A label value from its opening quote at `start`: the text and the index after the closing quote. */
function quoted(text: string, start: number): [string, number] {
  let value = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return [value, i + 1];
    if (c === '\\') {
      const next = text[++i];
      value += next === 'n' ? '\n' : (next ?? '');
    } else value += c;
  }
  throw new Error('unterminated label value');
}

/** Special values in any case, as Prometheus reads them (prom-client writes NaN as `Nan`). */
function parseValue(text: string): number {
  const special = text.toLowerCase();
  if (special === '+inf' || special === 'inf') return Number.POSITIVE_INFINITY;
  if (special === '-inf') return Number.NEGATIVE_INFINITY;
  if (special === 'nan') return Number.NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`bad value ${JSON.stringify(text)}`);
  return value;
}
