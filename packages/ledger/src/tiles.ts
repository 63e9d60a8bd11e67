/**
 * C2SP tlog-tiles (c2sp.org/tlog-tiles): tile and entry-bundle paths, which stored hashes a tile
 * holds, and the entry-bundle encoding. Tiles are 8 levels high (256 hashes wide).
 */
import { HASH_SIZE } from './merkle.ts';
import { storedHashIndex } from './stored-hashes.ts';
import { assertTreeSize } from './tree-math.ts';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** tlog-tiles: entries are prefixed by a big-endian uint16 length. */
export const MAX_ENTRY_SIZE = 0xffff;

export interface TileCoordinates {
  /** Tile level: level L tiles hold tree level 8·L hashes. 0..63. */
  level: number;
  /** Tile index within its level. */
  index: number;
  /** Number of hashes (or entries), 1..256; below 256 is a partial tile. */
  width: number;
}

export class TileError extends Error {
  override readonly name = 'TileError';
}

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH)
    throw new TileError(`tile width ${width} is not in 1..256`);
}

function checkLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > 63)
    throw new TileError(`tile level ${level} is not in 0..63`);
}

/** tlog-tiles: N in zero-padded 3-digit groups, all but the last prefixed `x` (1234067 → x001/x234/067). */
export function encodeTileIndex(index: number): string {
  assertTreeSize(index, 'tile index');
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

function decodeTileIndex(elements: string[], path: string): number {
  let index = 0;
  elements.forEach((element, i) => {
    const last = i === elements.length - 1;
    const match = (last ? /^([0-9]{3})$/ : /^x([0-9]{3})$/).exec(element);
    if (!match) throw new TileError(`invalid tile index element "${element}" in ${path}`);
    index = index * 1000 + Number(match[1]);
  });
  // One spelling per index: no leading all-zero groups.
  if (elements.length > 1 && elements[0] === 'x000')
    throw new TileError(`tile index in ${path} has a leading zero group`);
  if (!Number.isSafeInteger(index)) throw new TileError(`tile index in ${path} is too large`);
  return index;
}

function widthSuffix(width: number): string {
  checkWidth(width);
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

/** `tile/<L>/<N>[.p/<W>]`. */
export function tilePath({
  level,
  index,
  width = TILE_WIDTH,
}: {
  level: number;
  index: number;
  width?: number;
}): string {
  checkLevel(level);
  return `tile/${level}/${encodeTileIndex(index)}${widthSuffix(width)}`;
}

/** `tile/entries/<N>[.p/<W>]`. */
export function entryBundlePath(index: number, width: number = TILE_WIDTH): string {
  return `tile/entries/${encodeTileIndex(index)}${widthSuffix(width)}`;
}

function parseIndexAndWidth(elements: string[], path: string): { index: number; width: number } {
  let width = TILE_WIDTH;
  const partial = elements.length >= 2 ? /^(.*)\.p$/.exec(elements[elements.length - 2]!) : null;
  if (partial) {
    const w = elements[elements.length - 1]!;
    if (!/^[1-9][0-9]{0,2}$/.test(w) || Number(w) > 255)
      throw new TileError(`invalid partial width "${w}" in ${path}`);
    width = Number(w);
    elements = [...elements.slice(0, -2), partial[1]!];
  }
  if (elements.length === 0) throw new TileError(`missing tile index in ${path}`);
  return { index: decodeTileIndex(elements, path), width };
}

/** Parses `tile/<L>/<N>[.p/<W>]` (a leading `/` or prefix is not accepted). */
export function parseTilePath(path: string): TileCoordinates {
  const [tile, levelText, ...rest] = path.split('/');
  if (tile !== 'tile' || levelText === undefined || !/^(0|[1-9][0-9]?)$/.test(levelText)) {
    throw new TileError(`not a hash tile path: ${path}`);
  }
  const level = Number(levelText);
  checkLevel(level);
  return { level, ...parseIndexAndWidth(rest, path) };
}

/** Parses `tile/entries/<N>[.p/<W>]`. */
export function parseEntryBundlePath(path: string): { index: number; width: number } {
  const [tile, entries, ...rest] = path.split('/');
  if (tile !== 'tile' || entries !== 'entries') throw new TileError(`not an entry bundle path: ${path}`);
  return parseIndexAndWidth(rest, path);
}

/** tlog-tiles: the width of the rightmost tile at `level` for a tree of `treeSize` (0 = none). */
export function partialTileWidth(level: number, treeSize: number): number {
  checkLevel(level);
  assertTreeSize(treeSize, 'tree size');
  return Math.floor(treeSize / TILE_WIDTH ** level) % TILE_WIDTH;
}

/**
 * Stored-hash indexes (see stored-hashes.ts) of the hashes in tile (level, index, width): the
 * hashes at tree level 8·level, numbers index·256 … index·256 + width − 1.
 */
export function tileHashesIndexes(level: number, index: number, width: number = TILE_WIDTH): number[] {
  checkLevel(level);
  checkWidth(width);
  assertTreeSize(index, 'tile index');
  const start = index * TILE_WIDTH;
  const out = new Array<number>(width);
  for (let i = 0; i < width; i++) out[i] = storedHashIndex(level * TILE_HEIGHT, start + i);
  return out;
}

/** A hash tile's bytes: its hashes concatenated. */
export function encodeHashTile(hashes: readonly Uint8Array[]): Uint8Array {
  checkWidth(hashes.length);
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((hash, i) => {
    if (hash.length !== HASH_SIZE) throw new TileError(`tile hash ${i} is not ${HASH_SIZE} bytes`);
    out.set(hash, i * HASH_SIZE);
  });
  return out;
}

export function decodeHashTile(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length === 0 || bytes.length % HASH_SIZE !== 0 || bytes.length > TILE_WIDTH * HASH_SIZE) {
    throw new TileError(`a hash tile of ${bytes.length} bytes is not 1..256 hashes`);
  }
  const out: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += HASH_SIZE)
    out.push(bytes.slice(offset, offset + HASH_SIZE));
  return out;
}

/** tlog-tiles entry bundle: each entry prefixed by its length as a big-endian uint16. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  checkWidth(entries.length);
  let length = 0;
  for (const entry of entries) length += 2 + entry.length;
  const out = new Uint8Array(length);
  let offset = 0;
  entries.forEach((entry, i) => {
    if (entry.length > MAX_ENTRY_SIZE)
      throw new TileError(`entry ${i} is ${entry.length} bytes, over ${MAX_ENTRY_SIZE}`);
    out[offset] = entry.length >> 8;
    out[offset + 1] = entry.length & 255;
    out.set(entry, offset + 2);
    offset += 2 + entry.length;
  });
  return out;
}

export function decodeEntryBundle(bytes: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 2 > bytes.length)
      throw new TileError(`entry bundle truncated in the length of entry ${entries.length}`);
    const length = (bytes[offset]! << 8) | bytes[offset + 1]!;
    if (offset + 2 + length > bytes.length)
      throw new TileError(`entry bundle truncated in entry ${entries.length}`);
    entries.push(bytes.slice(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  if (entries.length === 0) throw new TileError('entry bundle is empty');
  if (entries.length > TILE_WIDTH)
    throw new TileError(`entry bundle holds ${entries.length} entries, over ${TILE_WIDTH}`);
  return entries;
}
