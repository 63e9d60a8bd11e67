// The console as a small witness: it remembers the checkpoints this browser has seen and checks
// each new one against the last by a consistency proof, so a log that rewrote or forked its
// history shows up here even though the server has no endpoint listing past checkpoints.

export interface SeenCheckpoint {
  origin: string;
  size: number;
  rootHash: string;
  seenAt: string;
  /** Against the previous checkpoint this browser saw of the same log; null for the first. */
  consistency: { ok: boolean; detail: string } | null;
}

export type WitnessStep =
  | { kind: 'first' }
  | { kind: 'unchanged' }
  | { kind: 'prove'; from: SeenCheckpoint }
  | { kind: 'inconsistent'; detail: string };

const storageKey = 'carloop.seenCheckpoints';
export const witnessLimit = 20;

/** What to do with the latest checkpoint of a log, given what was seen before (newest first). */
export function witnessStep(
  seen: readonly SeenCheckpoint[],
  latest: { origin: string; size: number; rootHash: string },
): WitnessStep {
  const last = seen.find((s) => s.origin === latest.origin);
  if (!last) return { kind: 'first' };
  if (latest.size === last.size) {
    return last.rootHash === latest.rootHash
      ? { kind: 'unchanged' }
      : { kind: 'inconsistent', detail: `same size ${latest.size} with a different root: the log forked` };
  }
  if (latest.size < last.size)
    return { kind: 'inconsistent', detail: `the log shrank from ${last.size} to ${latest.size} entries` };
  return { kind: 'prove', from: last };
}

/** Adds a checkpoint, newest first, keeping at most `witnessLimit`. */
export function recordSeen(seen: readonly SeenCheckpoint[], entry: SeenCheckpoint): SeenCheckpoint[] {
  return [entry, ...seen].slice(0, witnessLimit);
}

function isSeenCheckpoint(value: unknown): value is SeenCheckpoint {
  const v = value as SeenCheckpoint;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.origin === 'string' &&
    typeof v.size === 'number' &&
    typeof v.rootHash === 'string' &&
    typeof v.seenAt === 'string'
  );
}

export function loadSeen(): SeenCheckpoint[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isSeenCheckpoint) : [];
  } catch {
    return [];
  }
}

export function saveSeen(seen: readonly SeenCheckpoint[]): void {
  try {
    localStorage.setItem(storageKey, JSON.stringify(seen));
  } catch {
    // Storage may be full or refused; the witness then lasts for this page only.
  }
}
