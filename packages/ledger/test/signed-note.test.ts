import { describe, expect, it } from 'vitest';
import {
  formatKeyId,
  generateSignerKey,
  NoteError,
  noteKeyId,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from '../src/index.ts';
import { readJson } from './vectors.ts';

interface NoteVectors {
  vectors: { desc: string; valid: boolean; vkey: string; skey?: string; note: string }[];
}

const { vectors } = readJson<NoteVectors>('signed-note-vectors.json');

function noteError(f: () => unknown): NoteError {
  try {
    f();
  } catch (error) {
    if (error instanceof NoteError) return error;
    throw error;
  }
  throw new Error('expected a NoteError');
}

describe('signed-note vectors', () => {
  it.each(vectors)('$desc', ({ valid, vkey, note }) => {
    if (valid) {
      const opened = openNote(note, [vkey]);
      expect(note.startsWith(opened.text)).toBe(true);
      expect(opened.verifiedSigs).toHaveLength(1);
      expect(opened.unverifiedSigs).toEqual([]);
    } else {
      expect(noteError(() => openNote(note, [vkey])).code).toBe('invalid-signature');
    }
  });

  it('parses the verifier keys, whose base64 part may contain "+"', () => {
    for (const { vkey } of vectors) {
      const verifier = parseVerifierKey(vkey);
      expect(verifier.verifierKey).toBe(vkey);
      expect(formatKeyId(noteKeyId(verifier.name, 1, verifier.publicKey))).toBe(vkey.split('+')[1]);
    }
  });

  it('reproduces the Go TestSign note byte for byte from its signer key', () => {
    const vector = vectors.find((v) => v.skey)!;
    const signer = parseSignerKey(vector.skey!);
    expect(signer.verifierKey).toBe(vector.vkey);
    const text = vector.note.slice(0, vector.note.lastIndexOf('\n\n') + 1);
    expect(signNote(text, [signer])).toBe(vector.note);
    expect(signNote(text, [vector.skey!])).toBe(vector.note);
  });
});

describe('signing and opening', () => {
  const alice = generateSignerKey('log.carloop.example/alice');
  const bob = generateSignerKey('witness.example');
  const text = 'hello\n\nworld\n';

  it('round-trips with generated keys, also with several signers', () => {
    const note = signNote(text, [alice.signerKey, bob.signerKey]);
    const opened = openNote(note, [alice.verifierKey]);
    expect(opened.text).toBe(text);
    expect(opened.verifiedSigs.map((s) => s.name)).toEqual(['log.carloop.example/alice']);
    expect(opened.unverifiedSigs.map((s) => s.name)).toEqual(['witness.example']);
    expect(
      openNote(new TextEncoder().encode(note), [alice.verifierKey, bob.verifierKey]).verifiedSigs,
    ).toHaveLength(2);
  });

  it('is deterministic for a given seed', () => {
    const seed = new Uint8Array(32).fill(7);
    expect(generateSignerKey('a', seed)).toEqual(generateSignerKey('a', seed));
  });

  it('rejects notes no known key signed', () => {
    const note = signNote(text, [bob.signerKey]);
    const error = noteError(() => openNote(note, [alice.verifierKey]));
    expect(error.code).toBe('unverified-note');
    expect(error.unverifiedSigs.map((s) => s.name)).toEqual(['witness.example']);
  });

  it('rejects a bad signature by a known key, even next to a good one', () => {
    const note = signNote(text, [alice.signerKey]);
    const forged = note.replace(
      / (\S+)\n$/,
      (_, b64: string) => ` ${b64.slice(0, 10)}${b64[10] === 'A' ? 'B' : 'A'}${b64.slice(11)}\n`,
    );
    expect(noteError(() => openNote(forged, [alice.verifierKey])).code).toBe('invalid-signature');
    // As in Go's note.Open, only the first signature line per key is checked; repeats are dropped.
    const badFirst = `${forged}${note.slice(note.lastIndexOf('\u2014'))}`;
    expect(noteError(() => openNote(badFirst, [alice.verifierKey])).code).toBe('invalid-signature');
  });

  it('rejects a key whose ID does not match (same name, other key)', () => {
    const mallory = generateSignerKey('log.carloop.example/alice');
    const note = signNote(text, [mallory.signerKey]);
    expect(noteError(() => openNote(note, [alice.verifierKey])).code).toBe('unverified-note');
  });

  it.each([
    ['no empty line', 'hello\n\u2014 a AAAAAAA=\n'],
    ['text without signatures', 'hello\n\n'],
    ['no final newline', 'hello\n\n\u2014 a AAAAAAA='],
    ['hyphen instead of em dash', 'hello\n\n- a AAAAAAA=\n'],
    ['bad base64', 'hello\n\n\u2014 a !!!!\n'],
    ['signature too short', 'hello\n\n\u2014 a AAAA\n'],
    ['carriage return', 'hello\r\n\n\u2014 a AAAAAAA=\n'],
    ['name with +', 'hello\n\n\u2014 a+b AAAAAAA=\n'],
  ])('rejects a malformed note: %s', (_, note) => {
    expect(noteError(() => openNote(note, [alice.verifierKey])).code).toBe('malformed-note');
  });

  it('rejects malformed text and keys when signing', () => {
    expect(() => signNote('no newline', [alice.signerKey])).toThrow(/end with a newline/);
    expect(() => signNote('tab\there\n', [alice.signerKey])).toThrow(/control character/);
    expect(() => signNote(text, [alice.signerKey, alice.signerKey])).toThrow(/duplicate signer/);
    expect(() => generateSignerKey('has space')).toThrow(/invalid key name/);
    expect(() => parseVerifierKey('name+abcd+AAAA')).toThrow(/8 hex digits/);
    expect(() => parseVerifierKey(alice.verifierKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(
      /does not match/,
    );
    expect(() => parseSignerKey(alice.verifierKey)).toThrow(/PRIVATE\+KEY/);
  });

  it('accepts at least 16 signatures and ignores duplicates', () => {
    const keys = Array.from({ length: 16 }, (_, i) => generateSignerKey(`w${i}`));
    const note = signNote(
      text,
      keys.map((k) => k.signerKey),
    );
    expect(
      openNote(
        note,
        keys.map((k) => k.verifierKey),
      ).verifiedSigs,
    ).toHaveLength(16);
    const doubled = note + note.slice(note.indexOf('\u2014'));
    expect(openNote(doubled, [keys[0]!.verifierKey]).verifiedSigs).toHaveLength(1);
  });
});
