import { isColourOption } from '@sagamart/contracts/rules';

// Product pictures drawn in the browser: a silhouette per kind of garment (from the product's name,
// else its categories), filled with the colour of its 색상 option. The demo catalog uploads no photos; a
// product with uploaded images shows those instead. Only the browser draws: the server answers an
// uploaded image's URL or null (an order's lines too, and the order lists draw from the name).

export type PictureKind =
  | 'tee'
  | 'longSleeve'
  | 'hoodie'
  | 'shirt'
  | 'jacket'
  | 'pants'
  | 'shorts'
  | 'skirt'
  | 'dress'
  | 'shoe'
  | 'bag'
  | 'cap'
  | 'sock'
  | 'scarf';

/** Category words to kinds, most specific first (a "후드 집업" is a hoodie, not a jacket). */
const KIND_BY_WORD: ReadonlyArray<[RegExp, PictureKind]> = [
  [/후드|hood/i, 'hoodie'],
  [/맨투맨|스웨트|니트|스웨터|긴소매|카디건|sweat|knit|long/i, 'longSleeve'],
  [/반소매|티셔츠|tee|t-shirt/i, 'tee'],
  [/셔츠|블라우스|shirt|blouse/i, 'shirt'],
  [/숏 팬츠|반바지|short/i, 'shorts'],
  [/팬츠|바지|슬랙스|데님|조거|하의|pants|jeans/i, 'pants'],
  [/스커트|skirt/i, 'skirt'],
  [/원피스|dress/i, 'dress'],
  [/아우터|블루종|코트|패딩|재킷|자켓|집업|바람막이|아웃도어|outer|jacket|coat/i, 'jacket'],
  [/신발|스니커즈|러닝|구두|부츠|샌들|슬리퍼|하이탑|단화|shoe|sneaker|boot/i, 'shoe'],
  [/가방|백팩|크로스백|토트|에코백|bag/i, 'bag'],
  [/모자|캡|비니|햇|cap|hat|beanie/i, 'cap'],
  [/양말|sock/i, 'sock'],
  [/머플러|벨트|소품|scarf|belt/i, 'scarf'],
];

/**
 * The kind of picture for a product: its name says it best ("바람막이 재킷" under 스포츠/레저), then its
 * categories, the deepest first.
 */
export function pictureKind(categoryNames: readonly string[], productName = ''): PictureKind {
  for (const name of [productName, ...[...categoryNames].reverse()]) {
    for (const [pattern, kind] of KIND_BY_WORD) if (pattern.test(name)) return kind;
  }
  return 'tee';
}

/** Colour names as shoppers and the seed write them. */
const SWATCHES: Record<string, string> = {
  블랙: '#222222',
  화이트: '#ecece8',
  그레이: '#969696',
  차콜: '#404044',
  네이비: '#1f2d54',
  베이지: '#d8c4a0',
  아이보리: '#f5eedc',
  카키: '#6b7040',
  브라운: '#79553d',
  블루: '#3465a4',
  인디고: '#2a3a6e',
  연청: '#96b4d2',
  레드: '#b22222',
  핑크: '#ecaabe',
  그린: '#2e6e46',
  옐로우: '#ecc846',
  퍼플: '#6b4c9a',
  오렌지: '#e07b2a',
  민트: '#9fd8c4',
};

/** Not a colour we know (or no colour option): a neutral grey that reads as "the product". */
const UNKNOWN_SWATCH = '#8a9096';

export function swatchOf(colour: string | null | undefined): string {
  return (colour && SWATCHES[colour.trim()]) || UNKNOWN_SWATCH;
}

/** The colour among a SKU's (or a selection's) options, if it has one. */
export function colourOf(options: Record<string, string | undefined>): string | null {
  for (const [name, value] of Object.entries(options)) if (value && isColourOption(name)) return value;
  return null;
}

// Silhouettes in a 100×100 box: the garment's outline, then details drawn over it in translucent ink.
const SHAPES: Record<PictureKind, { body: string; details?: string; strokes?: string }> = {
  tee: {
    body: 'M36 18 L43 15 Q50 22 57 15 L64 18 L84 30 L77 44 L68 39 L68 86 L32 86 L32 39 L23 44 L16 30 Z',
    strokes: 'M43 15 Q50 24 57 15',
  },
  longSleeve: {
    body: 'M36 18 L43 15 Q50 22 57 15 L64 18 L80 28 L91 72 L81 75 L69 40 L68 86 L32 86 L31 40 L19 75 L9 72 L20 28 Z',
    strokes: 'M43 15 Q50 24 57 15 M33 81 L67 81 M11 67 L20 70 M89 67 L80 70',
  },
  hoodie: {
    body: 'M36 20 L38 10 Q50 2 62 10 L64 20 L80 28 L91 72 L81 75 L69 40 L68 86 L32 86 L31 40 L19 75 L9 72 L20 28 Z',
    details: 'M39 60 L61 60 L64 74 L36 74 Z',
    strokes: 'M40 20 Q50 30 60 20 M46 27 L45 40 M54 27 L55 40 M33 81 L67 81',
  },
  shirt: {
    body: 'M36 18 L43 14 L50 22 L57 14 L64 18 L80 28 L91 72 L81 75 L69 40 L68 86 L32 86 L31 40 L19 75 L9 72 L20 28 Z',
    strokes:
      'M43 14 L46 24 L50 22 L54 24 L57 14 M50 22 L50 86 M48 34 L48 34.5 M48 46 L48 46.5 M48 58 L48 58.5 M48 70 L48 70.5',
  },
  jacket: {
    body: 'M35 17 L42 13 L50 18 L58 13 L65 17 L81 27 L91 74 L81 77 L70 42 L70 88 L30 88 L30 42 L19 77 L9 74 L19 27 Z',
    details: 'M36 60 L46 60 L46 66 L36 66 Z M54 60 L64 60 L64 66 L54 66 Z',
    strokes: 'M42 13 L47 28 L50 18 L53 28 L58 13 M50 18 L50 88',
  },
  pants: {
    body: 'M30 12 L70 12 L75 88 L56 88 L50 36 L44 88 L25 88 Z',
    strokes: 'M30 19 L70 19 M50 19 L50 34 M36 19 Q38 27 31 29 M64 19 Q62 27 69 29',
  },
  shorts: {
    body: 'M28 24 L72 24 L77 66 L55 68 L50 44 L45 68 L23 66 Z',
    strokes: 'M28 31 L72 31 M50 31 L50 42',
  },
  skirt: {
    body: 'M36 18 L64 18 L80 82 Q50 88 20 82 Z',
    strokes: 'M36 25 L64 25 M43 25 L36 83 M57 25 L64 83 M50 25 L50 85',
  },
  dress: {
    body: 'M40 8 L45 8 Q50 15 55 8 L60 8 L62 30 L58 37 L77 88 Q50 92 23 88 L42 37 L38 30 Z',
    strokes: 'M42 37 L58 37',
  },
  shoe: {
    body: 'M10 60 Q12 42 24 40 L38 38 Q45 50 58 52 L80 57 Q91 60 91 70 L91 74 L10 74 Z',
    details: 'M10 74 L91 74 L91 80 Q91 83 88 83 L13 83 Q10 83 10 80 Z',
    strokes: 'M42 44 L38 50 M48 47 L44 53 M54 50 L50 55 M14 66 L88 68',
  },
  bag: {
    body: 'M22 38 L78 38 L82 88 L18 88 Z',
    details: 'M22 38 L78 38 L79 48 L21 48 Z',
    strokes: 'M35 38 Q35 14 50 14 Q65 14 65 38',
  },
  cap: {
    body: 'M16 62 Q16 28 50 28 Q80 28 82 58 L96 62 Q96 70 84 70 L16 70 Z',
    details: 'M47 26 A3 2 0 1 1 53 26 A3 2 0 1 1 47 26 Z',
    strokes: 'M50 29 Q46 46 48 66 M33 34 Q30 50 31 68 M82 60 L84 70',
  },
  sock: {
    body: 'M38 10 L62 10 L62 58 L80 70 Q90 80 80 90 L54 90 Q38 90 38 76 Z',
    strokes: 'M38 18 L62 18 M38 22 L62 22',
  },
  scarf: {
    body: 'M28 12 L72 12 L72 30 L60 30 L60 88 L44 88 L44 30 L28 30 Z',
    strokes: 'M44 82 L44 92 M48 82 L48 92 M52 82 L52 92 M56 82 L56 92 M60 82 L60 92 M28 21 L72 21',
  },
};

/** The picture as SVG markup: a soft backdrop, a floor shadow, and the silhouette in `fill`. */
export function productPictureSvg(kind: PictureKind, fill: string): string {
  const shape = SHAPES[kind];
  // Light garments need a darker outline to stand out from the backdrop, dark ones a lighter ink.
  const ink = isLight(fill) ? 'rgba(0,0,0,0.28)' : 'rgba(255,255,255,0.35)';
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="480" height="480">',
    '<rect width="100" height="100" fill="#f1f2f4"/>',
    '<ellipse cx="50" cy="93" rx="34" ry="3" fill="rgba(0,0,0,0.08)"/>',
    `<path d="${shape.body}" fill="${fill}" stroke="rgba(0,0,0,0.3)" stroke-width="0.7" stroke-linejoin="round"/>`,
    shape.details ? `<path d="${shape.details}" fill="${ink}"/>` : '',
    shape.strokes
      ? `<path d="${shape.strokes}" fill="none" stroke="${ink}" stroke-width="1.1" stroke-linecap="round"/>`
      : '',
    '</svg>',
  ].join('');
}

/** A data URL for an <img>: the picture of `kind` in `colour` (a colour name such as 블랙). */
export function productPictureUrl(kind: PictureKind, colour: string | null | undefined): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(productPictureSvg(kind, swatchOf(colour)))}`;
}

function isLight(hex: string): boolean {
  const value = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(value >> 16) & 255, (value >> 8) & 255, value & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150;
}
