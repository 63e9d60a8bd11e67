// The API token lives in localStorage (the brief of a console: paste a token, keep it until sign-out).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { useSyncExternalStore } from 'react';

const tokenKey = 'carloop.token';
const listeners = new Set<() => void>();

function read(): string | null {
  try {
    return localStorage.getItem(tokenKey);
  } catch {
    return null;
  }
}

let current = read();

export function getToken(): string | null {
  return current;
}

export function setToken(token: string | null): void {
  current = token;
  try {
    if (token) localStorage.setItem(tokenKey, token);
    else localStorage.removeItem(tokenKey);
  } catch {
    // Private windows may refuse storage: the token then lasts for this page only.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === tokenKey) {
      current = read();
      listener();
    }
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useToken(): string | null {
  return useSyncExternalStore(subscribe, getToken, () => null);
}

/**
 * The key id the log records for events submitted with this token ("token:" + the first 16 hex
 * digits of its SHA-256), so the console can mark the caller's own events.
 */
export function tokenKeyId(token: string): string {
  return `token:${bytesToHex(sha256(utf8ToBytes(token))).slice(0, 16)}`;
}
