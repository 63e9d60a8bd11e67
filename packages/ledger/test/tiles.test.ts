import { describe, expect, it } from 'vitest';
import {
  decodeEntryBundle,
  decodeHashTile,
  encodeEntryBundle,
  encodeHashTile,
  entryBundlePath,
  indexesForStoredHashes,
  leafHash,
  MerkleTree,
  parseEntryBundlePath,
  parseTilePath,
  partialTileWidth,
  storedHashesFromHashes,
  TileError,
  tileHashesIndexes,
  tilePath,
} from '../src/index.ts';

describe('tlog-tiles paths', () => {
  it.each([
    [{ level: 0, index: 1234067 }, 'tile/0/x001/x234/067'],
    [{ level: 0, index: 0 }, 'tile/0/000'],
    [{ level: 2, index: 1000, width: 17 }, 'tile/2/x001/000.p/17'],
    [{ level: 1, index: 999, width: 256 }, 'tile/1/999'],
    [{ level: 63, index: 5, width: 1 }, 'tile/63/005.p/1'],
  ])('%j → %s', (coords, path) => {
    expect(tilePath(coords)).toBe(path);
    expect(parseTilePath(path)).toEqual({ width: 256, ...coords });
  });

  it('builds and parses entry bundle paths', () => {
    expect(entryBundlePath(273)).toBe('tile/entries/273');
    expect(entryBundlePath(273, 112)).toBe('tile/entries/273.p/112');
    expect(parseEntryBundlePath('tile/entries/x001/x234/067.p/5')).toEqual({ index: 1234067, width: 5 });
  });

  it.each([
    'tile/00/000',
    'tile/64/000',
    'tile/0/1',
    'tile/0/x001',
    'tile/0/001/002',
    'tile/0/x000/001',
    'tile/0/000.p/0',
    'tile/0/000.p/256',
    'tile/0/000.p/012',
    'tile/entries/000',
    '/tile/0/000',
  ])('rejects %s', (path) => {
    expect(() => parseTilePath(path)).toThrow(TileError);
  });

  it('computes partial widths (spec example: size 70,000)', () => {
    expect([0, 1, 2, 3].map((level) => partialTileWidth(level, 70_000))).toEqual([112, 17, 1, 0]);
    expect(partialTileWidth(1, 256)).toBe(1);
    expect(partialTileWidth(0, 256)).toBe(0);
  });
});

describe('tile contents', () => {
  const size = 256 * 3 + 40;
  const leaves = Array.from({ length: size }, (_, i) => leafHash(Uint8Array.of(i & 255, i >> 8)));
  const tree = new MerkleTree(leaves);
  const store: Uint8Array[] = [];
  for (let n = 0; n < size; n++) {
    store.push(
      ...storedHashesFromHashes(
        n,
        leaves[n]!,
        indexesForStoredHashes(n).map((i) => store[i]!),
      ),
    );
  }

  it('level-0 tiles hold leaf hashes; level-1 tiles hold roots of full level-0 tiles', () => {
    const tile0 = tileHashesIndexes(0, 2).map((i) => store[i]!);
    expect(tile0).toEqual(leaves.slice(512, 768));
    const partial = tileHashesIndexes(0, 3, 40).map((i) => store[i]!);
    expect(partial).toEqual(leaves.slice(768));
    const tile1 = tileHashesIndexes(1, 0, 3).map((i) => store[i]!);
    expect(tile1).toEqual([0, 1, 2].map((j) => tree.subtreeHash(j * 256, (j + 1) * 256)));
  });

  it('encodes hash tiles and entry bundles', () => {
    const hashes = leaves.slice(0, 3);
    expect(decodeHashTile(encodeHashTile(hashes))).toEqual(hashes);
    expect(() => decodeHashTile(new Uint8Array(33))).toThrow(TileError);
    const entries = [new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(300).fill(9)];
    const bundle = encodeEntryBundle(entries);
    expect([...bundle.slice(0, 7)]).toEqual([0, 0, 0, 3, 1, 2, 3]);
    expect([...bundle.slice(7, 9)]).toEqual([1, 44]);
    expect(decodeEntryBundle(bundle)).toEqual(entries);
    expect(() => decodeEntryBundle(bundle.slice(0, -1))).toThrow(/truncated/);
    expect(() => encodeEntryBundle([new Uint8Array(65536)])).toThrow(/over 65535/);
  });
});
