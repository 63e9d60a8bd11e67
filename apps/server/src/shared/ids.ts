import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * Where new identifiers and salts come from. In service they are random; the simulator swaps in a
 * seeded source so that the same seed builds the same world, down to the same ledger root.
 */
export interface IdSource {
  uuid(): string;
  bytes(length: number): Uint8Array;
}

export const randomIdSource: IdSource = {
  uuid: () => randomUUID(),
  bytes: (length) => new Uint8Array(randomBytes(length)),
};

let current: IdSource = randomIdSource;

/** A new UUID (v4 layout) from the current source. */
export const newId = (): string => current.uuid();

/** Random bytes (e.g. a payload salt) from the current source. */
export const newBytes = (length: number): Uint8Array => current.bytes(length);

/** Run `work` with another id source, restoring the previous one afterwards. */
export async function withIdSource<T>(source: IdSource, work: () => Promise<T>): Promise<T> {
  const previous = current;
  current = source;
  try {
    return await work();
  } finally {
    current = previous;
  }
}

/** A deterministic source: SHA-256 in counter mode over a seed. Not for secrets. */
export function seededIdSource(seed: string): IdSource {
  let counter = 0;
  const next = (length: number) => {
    const out = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 32) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, length - offset)), offset);
    }
    return out;
  };
  return {
    uuid() {
      const b = next(16);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const h = Buffer.from(b).toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
    bytes: next,
  };
}
