import { describe, expect, it } from 'vitest';
import { recordSeen, type SeenCheckpoint, witnessLimit, witnessStep } from './witness.ts';

const seen = (size: number, rootHash: string, origin = 'log-a'): SeenCheckpoint => ({
  origin,
  size,
  rootHash,
  seenAt: '2026-01-01T00:00:00Z',
  consistency: null,
});

describe('checkpoint witness', () => {
  it('starts a log’s record at its first checkpoint', () => {
    expect(witnessStep([], { origin: 'log-a', size: 3, rootHash: 'r3' })).toEqual({ kind: 'first' });
    expect(witnessStep([seen(3, 'r3', 'log-b')], { origin: 'log-a', size: 3, rootHash: 'r3' })).toEqual({
      kind: 'first',
    });
  });

  it('asks for a consistency proof from the last checkpoint it saw of the same log', () => {
    const history = [seen(5, 'r5'), seen(3, 'r3')];
    expect(witnessStep(history, { origin: 'log-a', size: 9, rootHash: 'r9' })).toEqual({
      kind: 'prove',
      from: history[0],
    });
    expect(witnessStep(history, { origin: 'log-a', size: 5, rootHash: 'r5' })).toEqual({ kind: 'unchanged' });
  });

  it('flags a fork and a shrinking log without asking the server', () => {
    expect(witnessStep([seen(5, 'r5')], { origin: 'log-a', size: 5, rootHash: 'other' })).toMatchObject({
      kind: 'inconsistent',
      detail: expect.stringContaining('forked'),
    });
    expect(witnessStep([seen(5, 'r5')], { origin: 'log-a', size: 4, rootHash: 'r4' })).toMatchObject({
      kind: 'inconsistent',
      detail: 'the log shrank from 5 to 4 entries',
    });
  });

  it('keeps the newest checkpoints first, up to its limit', () => {
    let history: SeenCheckpoint[] = [];
    for (let size = 1; size <= witnessLimit + 5; size++)
      history = recordSeen(history, seen(size, `r${size}`));
    expect(history).toHaveLength(witnessLimit);
    expect(history[0]!.size).toBe(witnessLimit + 5);
  });
});
