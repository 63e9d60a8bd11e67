/**
 * Standard base64 (RFC 4648 §4) with padding, decoded strictly: no whitespace, no missing padding,
 * no non-zero trailing bits. Strictness keeps one value to one spelling, which matters when
 * base64 text is itself signed or hashed (signed notes, checkpoints, envelopes).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE_TABLE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE_TABLE[ALPHABET.charCodeAt(i)] = i;

export class Base64Error extends Error {
  override readonly name = 'Base64Error';
}

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}${ALPHABET[(n >> 6) & 63]!}=`;
  }
  return out;
}

function sextet(text: string, position: number): number {
  const code = text.charCodeAt(position);
  const value = code < 128 ? DECODE_TABLE[code]! : -1;
  if (value < 0) throw new Base64Error(`invalid base64: unexpected character at position ${position}`);
  return value;
}

export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Base64Error('invalid base64: length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    if (last && padding === 2) {
      if ((b & 15) !== 0) throw new Base64Error('invalid base64: non-zero trailing bits');
      out[o++] = (a << 2) | (b >> 4);
      break;
    }
    const c = sextet(text, i + 2);
    if (last && padding === 1) {
      if ((c & 3) !== 0) throw new Base64Error('invalid base64: non-zero trailing bits');
      out[o++] = (a << 2) | (b >> 4);
      out[o++] = ((b & 15) << 4) | (c >> 2);
      break;
    }
    const d = sextet(text, i + 3);
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o++] = ((c & 3) << 6) | d;
  }
  return out;
}

/** Decodes base64 that must hold exactly `length` bytes (e.g. a 32-byte hash). */
export function decodeBase64Exact(text: string, length: number, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(text);
  } catch (error) {
    throw new Base64Error(`${what}: ${(error as Error).message}`);
  }
  if (bytes.length !== length) throw new Base64Error(`${what}: ${bytes.length} bytes, expected ${length}`);
  return bytes;
}
