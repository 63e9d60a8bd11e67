import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  decodeTlogProof,
  encodeTlogProof,
  formatCheckpoint,
  generateSignerKey,
  leafHash,
  MerkleTree,
  NoteError,
  openCheckpoint,
  ProofError,
  parseCheckpoint,
  signCheckpoint,
  TlogProofError,
  verifyTlogProof,
} from '../src/index.ts';
import { fromBase64, readJson } from './vectors.ts';

interface NoteVectors {
  checkpointExamples: { c2spCheckpoint: string; goSumdbTreeNoteText: string };
}

const examples = readJson<NoteVectors>('signed-note-vectors.json').checkpointExamples;

describe('tlog-checkpoint', () => {
  it('parses the C2SP example body and the Go sumdb tree note', () => {
    const body = examples.c2spCheckpoint.slice(0, examples.c2spCheckpoint.indexOf('\n\n') + 1);
    const checkpoint = parseCheckpoint(body);
    expect(checkpoint.origin).toBe('example.com/behind-the-sofa');
    expect(checkpoint.size).toBe(20852163);
    expect(checkpoint.rootHash).toEqual(fromBase64('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='));
    expect(formatCheckpoint(checkpoint)).toBe(body);
    const go = parseCheckpoint(examples.goSumdbTreeNoteText);
    expect(go).toMatchObject({ origin: 'go.sum database tree', size: 2, extensions: [] });
    expect(formatCheckpoint(go)).toBe(examples.goSumdbTreeNoteText);
  });

  it('round-trips extension lines', () => {
    const checkpoint = { origin: 'o', size: 0, rootHash: new Uint8Array(32), extensions: ['ext one', 'two'] };
    expect(parseCheckpoint(formatCheckpoint(checkpoint))).toEqual(checkpoint);
  });

  it.each([
    ['missing root', 'o\n1\n'],
    ['leading zero', 'o\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'],
    ['negative size', 'o\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'],
    ['size over 2^53 − 1', 'o\n9007199254740992\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'],
    ['short root', 'o\n1\nAAAA\n'],
    ['no final newline', 'o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['empty origin', '\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'],
  ])('rejects %s', (_, text) => {
    expect(() => parseCheckpoint(text)).toThrow(CheckpointError);
  });

  it('signs and opens, checking key and origin', () => {
    const log = generateSignerKey('log.carloop.example');
    const other = generateSignerKey('log.carloop.example');
    const note = signCheckpoint(
      { origin: 'log.carloop.example', size: 5, rootHash: new Uint8Array(32).fill(1) },
      [log.signerKey],
    );
    const opened = openCheckpoint(note, log.verifierKey, { origin: 'log.carloop.example' });
    expect(opened).toMatchObject({ origin: 'log.carloop.example', size: 5 });
    expect(() => openCheckpoint(note, other.verifierKey)).toThrow(NoteError);
    expect(() => openCheckpoint(note, [log.verifierKey], { origin: 'elsewhere' })).toThrow(
      /not the expected/,
    );
  });
});

describe('c2sp.org/tlog-proof@v1', () => {
  const log = generateSignerKey('log.carloop.example');
  const entries = Array.from({ length: 11 }, (_, i) => new TextEncoder().encode(`entry ${i}`));
  const tree = new MerkleTree(entries.map(leafHash));
  const checkpoint = signCheckpoint({ origin: 'log.carloop.example', size: 11, rootHash: tree.root() }, [
    log.signerKey,
  ]);

  it('encodes in the documented layout and decodes back', () => {
    const proof = {
      extra: new TextEncoder().encode('context'),
      index: 6,
      proof: tree.inclusionProof(6),
      checkpoint,
    };
    const text = encodeTlogProof(proof);
    const lines = text.split('\n');
    expect(lines[0]).toBe('c2sp.org/tlog-proof@v1');
    expect(lines[1]).toBe('extra Y29udGV4dA==');
    expect(lines[2]).toBe('index 6');
    expect(lines[3 + proof.proof.length]).toBe('');
    expect(text.endsWith(checkpoint)).toBe(true);
    expect(decodeTlogProof(text)).toEqual(proof);
    const { extra: _, ...withoutExtra } = proof;
    expect(decodeTlogProof(encodeTlogProof(withoutExtra))).toEqual(withoutExtra);
  });

  it('verifies against the leaf and log key, and rejects tampering', () => {
    const text = encodeTlogProof({ index: 6, proof: tree.inclusionProof(6), checkpoint });
    expect(verifyTlogProof(text, leafHash(entries[6]!), log.verifierKey).size).toBe(11);
    expect(() => verifyTlogProof(text, leafHash(entries[5]!), log.verifierKey)).toThrow(ProofError);
    expect(() => verifyTlogProof(text, leafHash(entries[6]!), generateSignerKey('x').verifierKey)).toThrow(
      NoteError,
    );
  });

  it('handles a proof with no hashes (tree of one)', () => {
    const single = new MerkleTree([leafHash(entries[0]!)]);
    const cp = signCheckpoint({ origin: 'o', size: 1, rootHash: single.root() }, [
      generateSignerKey('o').signerKey,
    ]);
    const text = encodeTlogProof({ index: 0, proof: [], checkpoint: cp });
    expect(text.startsWith('c2sp.org/tlog-proof@v1\nindex 0\n\no\n1\n')).toBe(true);
    expect(decodeTlogProof(text).proof).toEqual([]);
  });

  it.each([
    ['wrong header', 'c2sp.org/tlog-proof@v2\nindex 0\n\ncp\n'],
    ['leading zero index', 'c2sp.org/tlog-proof@v1\nindex 01\n\ncp\n'],
    ['missing index', 'c2sp.org/tlog-proof@v1\n\ncp\n'],
    ['short hash', 'c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\ncp\n'],
    ['no checkpoint', 'c2sp.org/tlog-proof@v1\nindex 0\n\n'],
    ['no empty line', 'c2sp.org/tlog-proof@v1\nindex 0\n'],
  ])('rejects %s', (_, text) => {
    expect(() => decodeTlogProof(text)).toThrow(TlogProofError);
  });
});
