/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, following Go's
 * `golang.org/x/mod/sumdb/note` for the key and signature formats and its parsing rules.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Base64Error, decodeBase64, encodeBase64 } from './base64.ts';
import { bytesEqual, concatBytes, hasLoneSurrogate, utf8Bytes, utf8Text } from './bytes.ts';

/** signed-note: signature type byte of a plain Ed25519 signature over the note text. */
export const ED25519_SIGNATURE_TYPE = 0x01;

const ED25519_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;
const SIGNATURE_PREFIX = '\u2014 '; // EM DASH and a space
// Go's note.Open refuses more than 100 signature lines; C2SP requires accepting at least 16.
const MAX_SIGNATURES = 100;

export type NoteErrorCode = 'malformed-note' | 'invalid-key' | 'invalid-signature' | 'unverified-note';

export class NoteError extends Error {
  override readonly name = 'NoteError';
  constructor(
    readonly code: NoteErrorCode,
    message: string,
    /** For `unverified-note`: the signatures present, none by a known key. */
    readonly unverifiedSigs: NoteSignature[] = [],
  ) {
    super(message);
  }
}

/** One signature line of a note. */
export interface NoteSignature {
  name: string;
  /** The 4-byte key ID as an unsigned 32-bit integer. */
  keyId: number;
  /** base64(keyId || signature), as written on the line. */
  base64: string;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** The verifier key string `name+keyid+base64(0x01 || publicKey)`. */
  readonly verifierKey: string;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly verifierKey: string;
  sign(message: Uint8Array): Uint8Array;
}

export interface OpenedNote {
  text: string;
  verifiedSigs: NoteSignature[];
  unverifiedSigs: NoteSignature[];
}

/** signed-note: key names are non-empty, without spaces and without `+`. */
export function isValidKeyName(name: string): boolean {
  return name !== '' && !hasLoneSurrogate(name) && !/[\s\u0085+]/u.test(name);
}

/** signed-note: key ID = first 4 bytes of SHA-256(name || 0x0A || type || public key), big-endian. */
export function noteKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const digest = sha256(concatBytes(utf8Bytes(name), Uint8Array.of(0x0a, type), publicKey));
  return ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
}

export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

function keyIdBytes(keyId: number): Uint8Array {
  return Uint8Array.of(keyId >>> 24, (keyId >>> 16) & 255, (keyId >>> 8) & 255, keyId & 255);
}

function verifierKeyString(name: string, keyId: number, publicKey: Uint8Array): string {
  return `${name}+${formatKeyId(keyId)}+${encodeBase64(concatBytes(Uint8Array.of(ED25519_SIGNATURE_TYPE), publicKey))}`;
}

/** Splits `name+keyid+base64` — only at the first two `+`, since base64 may contain `+`. */
function parseKeyParts(key: string, what: string): { name: string; keyId: number; typed: Uint8Array } {
  const first = key.indexOf('+');
  const second = first < 0 ? -1 : key.indexOf('+', first + 1);
  if (second < 0) throw new NoteError('invalid-key', `${what} is not name+keyid+key`);
  const name = key.slice(0, first);
  const keyIdHex = key.slice(first + 1, second);
  if (!isValidKeyName(name)) throw new NoteError('invalid-key', `${what} has an invalid key name "${name}"`);
  if (!/^[0-9a-f]{8}$/i.test(keyIdHex))
    throw new NoteError('invalid-key', `${what} key ID "${keyIdHex}" is not 8 hex digits`);
  let typed: Uint8Array;
  try {
    typed = decodeBase64(key.slice(second + 1));
  } catch (error) {
    throw new NoteError('invalid-key', `${what} key is not base64: ${(error as Error).message}`);
  }
  if (typed.length !== 1 + ED25519_KEY_SIZE || typed[0] !== ED25519_SIGNATURE_TYPE) {
    throw new NoteError('invalid-key', `${what} is not an Ed25519 key (type 0x01, 32 bytes)`);
  }
  return { name, keyId: Number.parseInt(keyIdHex, 16), typed };
}

function makeVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  const keyId = noteKeyId(name, ED25519_SIGNATURE_TYPE, publicKey);
  return {
    name,
    keyId,
    publicKey,
    verifierKey: verifierKeyString(name, keyId, publicKey),
    verify: (message, signature) =>
      signature.length === ED25519_SIGNATURE_SIZE &&
      ed25519.verify(signature, message, publicKey, { zip215: false }),
  };
}

/** Parses a verifier key `name+<8 hex key ID>+base64(0x01 || 32-byte public key)`. */
export function parseVerifierKey(verifierKey: string): NoteVerifier {
  const { name, keyId, typed } = parseKeyParts(verifierKey, 'verifier key');
  const verifier = makeVerifier(name, typed.slice(1));
  if (verifier.keyId !== keyId) {
    throw new NoteError(
      'invalid-key',
      `verifier key ID ${formatKeyId(keyId)} does not match its name and key`,
    );
  }
  return verifier;
}

/** Parses a signer key `PRIVATE+KEY+name+<8 hex key ID>+base64(0x01 || 32-byte seed)`. */
export function parseSignerKey(signerKey: string): NoteSigner {
  const prefix = 'PRIVATE+KEY+';
  if (!signerKey.startsWith(prefix))
    throw new NoteError('invalid-key', 'signer key does not start with PRIVATE+KEY+');
  const { name, keyId, typed } = parseKeyParts(signerKey.slice(prefix.length), 'signer key');
  const seed = typed.slice(1);
  const verifier = makeVerifier(name, ed25519.getPublicKey(seed));
  if (verifier.keyId !== keyId) {
    throw new NoteError('invalid-key', `signer key ID ${formatKeyId(keyId)} does not match its name and key`);
  }
  return {
    name,
    keyId,
    verifierKey: verifier.verifierKey,
    sign: (message) => ed25519.sign(message, seed),
  };
}

/** A new Ed25519 key pair for `name`. `seed` (32 bytes) makes it deterministic; default is random. */
export function generateSignerKey(
  name: string,
  seed: Uint8Array = ed25519.utils.randomSecretKey(),
): { signerKey: string; verifierKey: string } {
  if (!isValidKeyName(name)) throw new NoteError('invalid-key', `invalid key name "${name}"`);
  if (seed.length !== ED25519_KEY_SIZE) throw new NoteError('invalid-key', 'an Ed25519 seed is 32 bytes');
  const verifier = makeVerifier(name, ed25519.getPublicKey(seed));
  const typedSeed = encodeBase64(concatBytes(Uint8Array.of(ED25519_SIGNATURE_TYPE), seed));
  return {
    signerKey: `PRIVATE+KEY+${name}+${formatKeyId(verifier.keyId)}+${typedSeed}`,
    verifierKey: verifier.verifierKey,
  };
}

/** signed-note: UTF-8 text with no ASCII control character other than newline. */
function checkNoteCharacters(text: string, what: string): void {
  if (hasLoneSurrogate(text)) throw new NoteError('malformed-note', `${what} is not valid UTF-8`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  const control = /[\u0000-\u0009\u000b-\u001f]/.exec(text);
  if (control) {
    throw new NoteError(
      'malformed-note',
      `${what} contains control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
}

/** Signs `text` (which must end with a newline) with each signer, in order. */
export function signNote(text: string, signers: readonly (NoteSigner | string)[]): string {
  checkNoteCharacters(text, 'note text');
  if (!text.endsWith('\n')) throw new NoteError('malformed-note', 'note text must end with a newline');
  if (signers.length === 0) throw new NoteError('invalid-key', 'a note needs at least one signer');
  const message = utf8Bytes(text);
  const seen = new Set<string>();
  let lines = '';
  for (const entry of signers) {
    const signer = typeof entry === 'string' ? parseSignerKey(entry) : entry;
    if (!isValidKeyName(signer.name)) throw new NoteError('invalid-key', `invalid key name "${signer.name}"`);
    const id = `${signer.name}+${formatKeyId(signer.keyId)}`;
    if (seen.has(id)) throw new NoteError('invalid-key', `duplicate signer ${id}`);
    seen.add(id);
    const signature = concatBytes(keyIdBytes(signer.keyId), signer.sign(message));
    lines += `${SIGNATURE_PREFIX}${signer.name} ${encodeBase64(signature)}\n`;
  }
  return `${text}\n${lines}`;
}

interface ParsedSignatureLine extends NoteSignature {
  signature: Uint8Array;
}

function parseSignatureLine(line: string): ParsedSignatureLine {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw new NoteError('malformed-note', `signature line does not start with "— ": ${JSON.stringify(line)}`);
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const base64 = space < 0 ? '' : rest.slice(space + 1);
  if (!isValidKeyName(name))
    throw new NoteError('malformed-note', `signature line has an invalid key name "${name}"`);
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(base64);
  } catch (error) {
    if (!(error instanceof Base64Error)) throw error;
    throw new NoteError('malformed-note', `signature by ${name} is not base64`);
  }
  if (bytes.length < 5) throw new NoteError('malformed-note', `signature by ${name} is too short`);
  const keyId = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  return { name, keyId, base64, signature: bytes.slice(4) };
}

function toVerifiers(verifiers: readonly (NoteVerifier | string)[]): NoteVerifier[] {
  return verifiers.map((v) => (typeof v === 'string' ? parseVerifierKey(v) : v));
}

/**
 * Parses a signed note and checks its signatures against `verifiers`. Signatures by unknown keys
 * are returned unverified; a known key's bad signature rejects the note; at least one known key
 * must have signed it.
 */
export function openNote(
  note: string | Uint8Array,
  verifiers: readonly (NoteVerifier | string)[],
): OpenedNote {
  let message: string;
  try {
    message = typeof note === 'string' ? note : utf8Text(note);
  } catch {
    throw new NoteError('malformed-note', 'note is not valid UTF-8');
  }
  checkNoteCharacters(message, 'note');
  // Text and signatures are split at the last empty line.
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed-note', 'note has no empty line before its signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) {
    throw new NoteError('malformed-note', 'note signature block is empty or does not end with a newline');
  }
  const known = toVerifiers(verifiers);
  const textBytes = utf8Bytes(text);
  const verifiedSigs: NoteSignature[] = [];
  const unverifiedSigs: NoteSignature[] = [];
  const seen = new Set<string>();
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES)
    throw new NoteError('malformed-note', `note has more than ${MAX_SIGNATURES} signatures`);
  for (const line of lines) {
    const { signature, ...sig } = parseSignatureLine(line);
    const id = `${sig.name}+${formatKeyId(sig.keyId)}`;
    const matches = known.filter((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (matches.length === 0) {
      if (!unverifiedSigs.some((u) => u.name === sig.name && u.base64 === sig.base64))
        unverifiedSigs.push(sig);
      continue;
    }
    if (seen.has(id)) continue;
    seen.add(id);
    if (!matches.some((v) => v.verify(textBytes, signature))) {
      throw new NoteError('invalid-signature', `signature by ${id} does not verify`);
    }
    verifiedSigs.push(sig);
  }
  if (verifiedSigs.length === 0) {
    const names = unverifiedSigs.map((s) => `${s.name}+${formatKeyId(s.keyId)}`).join(', ');
    throw new NoteError(
      'unverified-note',
      `note has no signature by a known key (signed by: ${names})`,
      unverifiedSigs,
    );
  }
  return { text, verifiedSigs, unverifiedSigs };
}

/** True if two verifier keys are the same name, key ID and public key. */
export function sameVerifierKey(a: NoteVerifier, b: NoteVerifier): boolean {
  return a.name === b.name && a.keyId === b.keyId && bytesEqual(a.publicKey, b.publicKey);
}
