import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import {
  type AssetKind,
  applyTransition,
  assetKinds,
  type EventTypeDefinition,
  eventCatalogue,
  examplePayloadFor,
  INITIAL,
  statesOf,
  terminalStates,
} from './index.ts';

/** Read straight from the catalogue, independently of the machine: may `d` happen to `kind` in `state`? */
function declares(d: EventTypeDefinition, kind: AssetKind, state: string | null): boolean {
  if (!d.subjectKinds.includes(kind)) return false;
  if (state === null) return d.fromStates === INITIAL;
  return d.fromStates !== INITIAL && d.fromStates.includes(state);
}

// Unbiased picks: fast-check's default bias towards small values would keep choosing the first move.
const step = fc.noBias(
  fc.record({
    // Mostly pick among the declared moves, so that sequences get deep into each machine.
    declaredOnly: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
    pick: fc.nat(),
    odometerKm: fc.option(fc.integer({ min: 0, max: 400_000 }), { nil: undefined }),
  }),
);

// Walks start from nothing or from any declared state, so every part of each machine gets explored.
const starts = assetKinds.flatMap((kind) => [null, ...statesOf(kind)].map((state) => ({ kind, state })));

describe('state machine properties', () => {
  it('never leaves the declared states, and accepts exactly the declared transitions', () => {
    const visited = new Set<string>();
    fc.assert(
      fc.property(
        fc.constantFrom(...starts),
        fc.array(step, { minLength: 1, maxLength: 40 }),
        (start, steps) => {
          const { kind } = start;
          let state = start.state;
          for (const { declaredOnly, pick, odometerKm } of steps) {
            const declared = eventCatalogue.filter((d) => declares(d, kind, state));
            const pool = declaredOnly && declared.length > 0 ? declared : eventCatalogue;
            const d = pool[pick % pool.length]!;
            const request = {
              kind,
              state,
              type: d.type,
              payload: examplePayloadFor(d.type, kind),
              context: { lastOdometerKm: odometerKm },
            };
            if (declares(d, kind, state)) {
              const { toState, flags } = applyTransition(request);
              expect(toState).toBe(d.toState ?? state);
              expect(statesOf(kind)).toContain(toState);
              expect(state === null || !terminalStates(kind).includes(state)).toBe(true);
              for (const flag of flags) expect(flag.code).toMatch(/^[a-z_]+$/);
              state = toState;
              visited.add(`${kind} ${state}`);
            } else {
              expect(() => applyTransition(request)).toThrow(DomainError);
            }
          }
        },
      ),
      // A fixed seed: the coverage assertion below needs every state reached, which a random seed misses now and then.
      { numRuns: 3000, seed: 20261129 },
    );
    // Every state must have been entered by an accepted transition, or the property says little.
    const all = assetKinds.flatMap((kind) => statesOf(kind).map((state) => `${kind} ${state}`));
    expect(all.filter((s) => !visited.has(s))).toEqual([]);
  });

  it('lets a terminal state accept no event at all', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ...assetKinds.flatMap((kind) => terminalStates(kind).map((state) => [kind, state] as const)),
        ),
        fc.constantFrom(...eventCatalogue),
        ([kind, state], d) => {
          const request = { kind, state, type: d.type, payload: examplePayloadFor(d.type, kind) };
          expect(() => applyTransition(request)).toThrow(DomainError);
        },
      ),
    );
  });

  it('rejects illegal moves with a reason that names the state and what is allowed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ...assetKinds.flatMap((kind) => statesOf(kind).map((state) => [kind, state] as const)),
        ),
        fc.constantFrom(...eventCatalogue),
        ([kind, state], d) => {
          fc.pre(d.subjectKinds.includes(kind) && !declares(d, kind, state));
          try {
            applyTransition({ kind, state, type: d.type, payload: examplePayloadFor(d.type, kind) });
            expect.unreachable();
          } catch (error) {
            expect((error as DomainError).code).toBe('illegal_transition');
            expect((error as DomainError).message).toContain(`'${state}'`);
          }
        },
      ),
    );
  });
});
