import { buildWebConsoleIfStale } from '../scripts/build-if-stale.ts';

/** The browser suite runs against the built console, as `npm start` serves it. */
export default async function setup(): Promise<void> {
  await buildWebConsoleIfStale();
}
