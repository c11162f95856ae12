import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as contracts from '@sagamart/contracts';
import { type EventContract, topology } from '@sagamart/contracts';
import { describe, expect, it } from 'vitest';

/**
 * The flow diagrams in the docs are held to the contracts: an event arrow (`A--)B: event.name …`)
 * names an event that exists, drawn from a service that can publish it to a service whose queue
 * receives it. A renamed event or a moved consumer fails here rather than leaving a diagram that
 * teaches the wrong flow.
 */

const root = join(import.meta.dirname, '../../..');
const services = new Set(readdirSync(join(root, 'services')));

/** Every event contract the package exports, by event name, with the identifiers it is exported as. */
const events = new Map<string, string[]>();
for (const [identifier, value] of Object.entries(contracts)) {
  if (isEventContract(value)) events.set(value.name, [...(events.get(value.name) ?? []), identifier]);
}

function isEventContract(value: unknown): value is EventContract {
  const v = value as Partial<EventContract> | null;
  return typeof v?.name === 'string' && typeof v.version === 'number' && typeof v.validate === 'function';
}

interface Diagram {
  file: string;
  line: number;
  lines: string[];
}

function sequenceDiagrams(): Diagram[] {
  const markdown = (dir: string) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `${dir}/${f}`);
  const files = ['README.md', ...markdown('docs'), ...markdown('docs/adr'), ...markdown('docs/flows')];
  const diagrams: Diagram[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8').split('\n');
    for (let i = 0; i < text.length; i++) {
      if (text[i]!.trim() !== '```mermaid' || text[i + 1]?.trim() !== 'sequenceDiagram') continue;
      const end = text.indexOf('```', i + 1);
      diagrams.push({ file, line: i + 1, lines: text.slice(i + 2, end).map((l) => l.trim()) });
    }
  }
  return diagrams;
}

const PARTICIPANT = /^(?:participant|actor)\s+(\S+)(?:\s+as\s+(.+))?$/;
const ARROW = /^([^\s:-]+?)\s*(-{1,2}(?:>>|>|\)|x))\s*[+-]?([^\s:]+?)\s*:\s*(.*)$/;
const EVENT_ARROW = '--)';

/** Each service's source, read once. */
const sources = new Map<string, string[]>();

/** Where a service's source mentions an event contract by one of its exported names. */
function mentions(service: string, identifiers: string[]): boolean {
  let files = sources.get(service);
  if (!files) {
    const dir = join(root, 'services', service, 'src');
    files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    sources.set(service, files);
  }
  return identifiers.some((id) => files.some((s) => new RegExp(`\\b${id}\\b`).test(s)));
}

describe('the docs’ flow diagrams', () => {
  const diagrams = sequenceDiagrams();

  it('are found in the docs, with event arrows among them', () => {
    expect(diagrams.length).toBeGreaterThanOrEqual(10);
    expect(diagrams.some((d) => d.lines.some((l) => ARROW.exec(l)?.[2] === EVENT_ARROW))).toBe(true);
  });

  it('keep semicolons and hashes out of their lines (mermaid ends a message at either)', () => {
    const bad = diagrams.flatMap((d) =>
      d.lines
        .map((l, i) => ({ where: `${d.file}:${d.line + 2 + i}`, l }))
        .filter(({ l }) => /[;#]/.test(l))
        .map(({ where, l }) => `${where}: ${l}`),
    );
    expect(bad).toEqual([]);
  });

  it('draw each event from a service that publishes it to a service whose queue receives it', () => {
    const problems: string[] = [];
    for (const d of diagrams) {
      const names = new Map<string, string>();
      for (const [i, l] of d.lines.entries()) {
        const where = `${d.file}:${d.line + 2 + i}`;
        const participant = PARTICIPANT.exec(l);
        if (participant) names.set(participant[1]!, (participant[2] ?? participant[1]!).trim());
        const arrow = ARROW.exec(l);
        if (!arrow || arrow[2] !== EVENT_ARROW) continue;
        const from = names.get(arrow[1]!) ?? arrow[1]!;
        const to = names.get(arrow[3]!) ?? arrow[3]!;
        const event = arrow[4]!.split(/[\s,({]/)[0]!;
        const identifiers = events.get(event);
        if (!identifiers) {
          problems.push(`${where}: ${event} is not an event in the contracts`);
          continue;
        }
        // A service publishes an event its code names and its own queue does not receive.
        if (!services.has(from)) problems.push(`${where}: ${from} is not one of the services`);
        else if (topology[from]?.includes(event) || !mentions(from, identifiers))
          problems.push(`${where}: ${from} does not publish ${event}`);
        if (!topology[to]?.includes(event)) problems.push(`${where}: ${to} does not consume ${event}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
