/**
 * Korean particles that depend on the word before them (을/를, 이/가, 은/는, 과/와, 으로/로), each
 * written with its form after a final consonant first and after a vowel second (으로/로: 로 after ㄹ
 * too). A word ending in a digit or a Latin letter is judged by how it is read (1 일, 6 육, L 엘,
 * M 엠…); anything else keeps both forms, as "을(를)".
 */
export const PARTICLES = ['을/를', '이/가', '은/는', '과/와', '으로/로'] as const;
export type Particle = (typeof PARTICLES)[number];

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
const RIEUL = 8;
/** The final consonant of each digit as read in Sino-Korean (영 일 이 삼 사 오 육 칠 팔 구). */
const DIGIT_FINALS = [21, RIEUL, 0, 16, 0, 0, 1, RIEUL, RIEUL, 0];
/** Latin letters read with a final consonant: 엘 엠 엔 알; the rest end in a vowel (에이, 비, 씨…). */
const LATIN_FINALS: Record<string, number> = { l: RIEUL, m: 16, n: 4, r: RIEUL };

/** The final consonant's index (0 for none), or undefined when the word's reading is unknown. */
function finalConsonant(word: string): number | undefined {
  const last = [...word.replace(/[\s)\]}'"”’.,!?]+$/u, '')].at(-1);
  if (!last) return undefined;
  const code = last.codePointAt(0)!;
  if (code >= HANGUL_FIRST && code <= HANGUL_LAST) return (code - HANGUL_FIRST) % 28;
  if (last >= '0' && last <= '9') return DIGIT_FINALS[Number(last)];
  const letter = last.toLowerCase();
  if (letter >= 'a' && letter <= 'z') return LATIN_FINALS[letter] ?? 0;
  return undefined;
}

/** `word` followed by the form of `particle` it takes: 사이즈를, 주문 20261206-0001이, 색상을. */
export function withParticle(word: string, particle: Particle): string {
  const [afterConsonant, afterVowel] = particle.split('/') as [string, string];
  const final = finalConsonant(word);
  if (final === undefined) return `${word}${afterConsonant}(${afterVowel})`;
  const consonant = particle === '으로/로' ? final !== 0 && final !== RIEUL : final !== 0;
  return `${word}${consonant ? afterConsonant : afterVowel}`;
}

export function isParticle(value: unknown): value is Particle {
  return typeof value === 'string' && (PARTICLES as readonly string[]).includes(value);
}
