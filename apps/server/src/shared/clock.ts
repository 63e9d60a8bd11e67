/** The single source of "now" as an ISO 8601 UTC string, so tests and the simulator can pin time. */
export type Clock = () => string;

let current: Clock = () => new Date().toISOString();

/** Now, from the current clock (the wall clock unless a simulation has set its own). */
export const systemClock: Clock = () => current();

/** Run `work` with another clock, restoring the previous one afterwards. */
export async function withClock<T>(clock: Clock, work: () => Promise<T>): Promise<T> {
  const previous = current;
  current = clock;
  try {
    return await work();
  } finally {
    current = previous;
  }
}

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Normalise an ISO 8601 UTC timestamp to the canonical 24-character form, or return null. */
export function normaliseUtc(value: string): string | null {
  if (!isoUtc.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
