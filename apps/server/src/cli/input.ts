import { readFileSync } from 'node:fs';
import { invalid } from '../shared/errors.ts';

/** A numeric flag as a number when it reads as one; otherwise as given, so validation names the field. */
export const numericFlag = (value: unknown) =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;

/** The entries of an options record that were given. */
export const definedFields = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

/** A JSON input file; an unreadable or malformed file is refused naming the flag that gave it. */
export function readJsonFile(path: string, field: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw invalid('unreadable_file', `cannot read ${path}`, [
      { field, message: (error as NodeJS.ErrnoException).code ?? (error as Error).message },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid('invalid_json', `${path} is not valid JSON`, [
      { field, message: (error as Error).message },
    ]);
  }
}
