import { describe, expect, it } from 'vitest';
import {
  frontierIndexes,
  indexesForProveRecord,
  leafHash,
  MAX_STORED_TREE_SIZE,
  MerkleTree,
  proveRecord,
  proveTree,
  splitStoredHashIndex,
  storedHashCount,
  storedHashesForRecord,
  storedHashIndex,
  TreeFrontier,
  treeHash,
} from '../src/index.ts';

/** Go's StoredHashIndex, literally. */
function goStoredHashIndex(level: number, n: number): number {
  for (let l = level; l > 0; l--) n = 2 * n + 1;
  let i = 0;
  for (; n > 0; n = Math.floor(n / 2)) i += n;
  return i + level;
}

/** Go's StoredHashCount, literally. */
function goStoredHashCount(n: number): number {
  if (n === 0) return 0;
  let count = goStoredHashIndex(0, n - 1) + 1;
  for (let i = n - 1; i % 2 === 1; i = (i - 1) / 2) count++;
  return count;
}

describe('stored-hash index math (Go sumdb/tlog)', () => {
  it('storedHashIndex matches the Go loop', () => {
    for (let level = 0; level < 12; level++) {
      for (let n = 0; n < 500; n++) expect(storedHashIndex(level, n)).toBe(goStoredHashIndex(level, n));
    }
    const big = 2 ** 40 + 12345;
    expect(storedHashIndex(3, big)).toBe(goStoredHashIndex(3, big));
  });

  it('splitStoredHashIndex inverts storedHashIndex and covers every index once', () => {
    const seen = new Set<number>();
    for (let level = 0; level < 10; level++) {
      for (let n = 0; n < 300; n++) {
        const index = storedHashIndex(level, n);
        expect(splitStoredHashIndex(index)).toEqual({ level, n });
        seen.add(index);
      }
    }
    for (let index = 0; index < 600; index++) {
      const { level, n } = splitStoredHashIndex(index);
      expect(storedHashIndex(level, n)).toBe(index);
    }
  });

  it('storedHashCount matches Go and is 2n − popcount(n)', () => {
    for (let n = 0; n < 2000; n++) expect(storedHashCount(n)).toBe(goStoredHashCount(n));
    expect(storedHashCount(MAX_STORED_TREE_SIZE)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('enforces the 2^52 bound', () => {
    expect(() => storedHashCount(MAX_STORED_TREE_SIZE + 1)).toThrow(RangeError);
    expect(() => storedHashIndex(0, MAX_STORED_TREE_SIZE)).toThrow(RangeError);
    expect(storedHashIndex(0, MAX_STORED_TREE_SIZE - 1)).toBeLessThan(Number.MAX_SAFE_INTEGER);
    expect(() => indexesForProveRecord(5, 5)).toThrow(RangeError);
    expect(() => storedHashIndex(0, -1)).toThrow(RangeError);
    expect(() => storedHashIndex(0, 0.5)).toThrow(RangeError);
  });

  it('frontierIndexes of huge sizes stay exact', () => {
    const size = 2 ** 51 + 2 ** 33 + 5;
    const indexes = frontierIndexes(size);
    expect(indexes).toHaveLength(4);
    expect(indexes.map(splitStoredHashIndex)).toEqual([
      { level: 51, n: 0 },
      { level: 33, n: 2 ** 18 },
      { level: 2, n: (2 ** 51 + 2 ** 33) / 4 },
      { level: 0, n: 2 ** 51 + 2 ** 33 + 4 },
    ]);
  });
});

describe('async stored-hash API', () => {
  const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Uint8Array.of(i)));
  const tree = new MerkleTree(leaves);

  it('works with an async reader (as for PostgreSQL) and checks what it returns', async () => {
    const store: Uint8Array[] = [];
    const reads: number[][] = [];
    const readHashes = async (indexes: number[]): Promise<Uint8Array[]> => {
      reads.push(indexes);
      await Promise.resolve();
      return indexes.map((i) => store[i]!);
    };
    for (let n = 0; n < leaves.length; n++)
      store.push(...(await storedHashesForRecord(n, leaves[n]!, readHashes)));
    expect(await treeHash(40, readHashes)).toEqual(tree.root());
    expect(await treeHash(0, readHashes)).toEqual(tree.root(0));
    expect(await proveRecord(40, 17, readHashes)).toEqual(tree.inclusionProof(17, 40));
    expect(await proveTree(40, 13, readHashes)).toEqual(tree.consistencyProof(13, 40));
    expect(await proveTree(40, 40, readHashes)).toEqual([]);
    // Indexes are asked for in ascending order when adding a record.
    expect(reads.every((r) => r.every((v, i) => i === 0 || v > r[i - 1]!))).toBe(true);

    await expect(proveRecord(40, 3, () => [])).rejects.toThrow(/read 0 stored hashes/);
    await expect(treeHash(40, (indexes) => indexes.map(() => new Uint8Array(31)))).rejects.toThrow(
      /not 32 bytes/,
    );
  });

  it('TreeFrontier.load reads the frontier and appends without reads', async () => {
    const store: Uint8Array[] = [];
    const frontier = new TreeFrontier();
    for (const leaf of leaves.slice(0, 21))
      for (const s of frontier.append(leaf).storedHashes) store[s.index] = s.hash;
    const loaded = await TreeFrontier.load(21, async (indexes) => indexes.map((i) => store[i]!));
    expect(loaded.size).toBe(21);
    expect(loaded.frontierHashes()).toHaveLength(3);
    for (const leaf of leaves.slice(21)) loaded.append(leaf);
    expect(loaded.root()).toEqual(tree.root());
    expect(() => new TreeFrontier(21, [])).toThrow(/has 3 hashes/);
  });

  it('writes 2n − popcount(n) stored hashes over many appends (speed is measured in bench/)', () => {
    const frontier = new TreeFrontier();
    const leaf = leafHash(new Uint8Array(8));
    let written = 0;
    for (let i = 0; i < 100_000; i++) written += frontier.append(leaf).storedHashes.length;
    expect(frontier.size).toBe(100_000);
    expect(written).toBe(storedHashCount(100_000));
    expect(storedHashCount(1_000_000)).toBe(2_000_000 - 7);
  });
});
