/**
 * The stored password hash format, PHC-style so the parameters travel with each hash and can be
 * raised later without invalidating existing ones:
 *
 *   $scrypt$ln=15,r=8,p=1$<salt, base64>$<derived key, base64>
 *
 * ln is log2 of scrypt's cost N, r the block size, p the parallelization. Memory per hash is
 * 128 * N * r bytes (32 MiB at ln=15, r=8).
 */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  /** Block size. */
  r: number;
  /** Parallelization. */
  p: number;
}

export interface PasswordHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

export const SALT_BYTES = 16;
export const KEY_BYTES = 32;

/** Bounds accepted when reading a stored hash: refuses absurd work factors. */
const LIMITS = { logN: [10, 22], r: [1, 32], p: [1, 16] } as const;

const FORMAT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export function formatPasswordHash(hash: PasswordHash): string {
  const { logN, r, p } = hash.params;
  return `$scrypt$ln=${logN},r=${r},p=${p}$${unpadded(hash.salt)}$${unpadded(hash.key)}`;
}

/** Reads a stored hash; undefined when it is not in the format or its parameters are out of bounds. */
export function parsePasswordHash(stored: string): PasswordHash | undefined {
  const match = FORMAT.exec(stored);
  if (!match) return undefined;
  const params = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (!withinLimits(params)) return undefined;
  const salt = Buffer.from(match[4]!, 'base64');
  const key = Buffer.from(match[5]!, 'base64');
  if (salt.length < SALT_BYTES || key.length < 16) return undefined;
  return { params, salt, key };
}

export function withinLimits(params: ScryptParams): boolean {
  return (Object.keys(LIMITS) as Array<keyof ScryptParams>).every((name) => {
    const value = params[name];
    const [min, max] = LIMITS[name];
    return Number.isInteger(value) && value >= min && value <= max;
  });
}

/** True when a hash was made with weaker parameters than today's: rehash it at the next login. */
export function needsRehash(hash: PasswordHash, current: ScryptParams): boolean {
  return (
    hash.params.logN < current.logN ||
    hash.params.r < current.r ||
    hash.params.p < current.p ||
    hash.key.length !== KEY_BYTES
  );
}

/** Bytes scrypt needs for these parameters (Node refuses to run above its maxmem). */
export function scryptMemoryBytes(params: ScryptParams): number {
  return 128 * 2 ** params.logN * params.r * params.p;
}

function unpadded(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
