import { DomainError } from '../shared/errors.ts';

/** One JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export class UsageError extends Error {}

/**
 * Errors go to stderr and set a non-zero exit code: 1 for a refused input or state, 2 for a usage
 * mistake, 3 for anything unexpected. With --json the error is a problem document.
 */
export function reportError(error: unknown, json: boolean): number {
  if (error instanceof DomainError) {
    if (json) {
      process.stderr.write(
        `${JSON.stringify({ error: error.code, kind: error.kind, message: error.message, errors: error.errors }, null, 2)}\n`,
      );
    } else {
      process.stderr.write(`error: ${error.message}\n`);
      for (const e of error.errors) process.stderr.write(`  ${e.field}: ${e.message}\n`);
    }
    return 1;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`usage error: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 3;
}
