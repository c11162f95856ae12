import { crc32, deflateSync } from 'node:zlib';

export type Rgb = readonly [number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid RGB PNG: a solid background with a lighter disc in the middle, the kind of placeholder
 * product shot the seed data uses (no image files in the repository, no image library needed).
 */
export function placeholderPng(size: number, background: Rgb): Buffer {
  const light: Rgb = [0, 1, 2].map((i) =>
    Math.round(background[i]! + (255 - background[i]!) * 0.35),
  ) as unknown as Rgb;
  const rowLength = 1 + size * 3;
  const raw = Buffer.alloc(rowLength * size);
  const centre = (size - 1) / 2;
  const radius2 = (size * 0.3) ** 2;
  for (let y = 0; y < size; y++) {
    raw[y * rowLength] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const inside = (x - centre) ** 2 + (y - centre) ** 2 <= radius2;
      const colour = inside ? light : background;
      raw.set(colour, y * rowLength + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
