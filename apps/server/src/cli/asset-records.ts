import type { AssetKind } from '../modules/assets/index.ts';

/** Column order of each kind in CSV files: import reads these, export writes them. */
export const columnsByKind: Record<AssetKind, readonly string[]> = {
  vehicle: ['vin', 'make', 'model', 'trim', 'modelYear', 'powertrain', 'newPrice', 'currency'],
  'battery-pack': ['code', 'chemistry', 'ratedCapacityKwh', 'massKg', 'originalCode'],
  'battery-module': ['code', 'chemistry', 'ratedCapacityKwh', 'massKg', 'originalCode'],
  'battery-cell': ['code', 'chemistry', 'ratedCapacityKwh', 'massKg', 'originalCode'],
  part: ['id', 'partNumber', 'serial', 'name', 'fiveAssembly', 'assemblyType', 'massKg'],
  'material-lot': ['id', 'material', 'massKg'],
};

const numericColumns = new Set(['modelYear', 'ratedCapacityKwh', 'massKg']);
const booleanColumns = new Set(['fiveAssembly']);

/**
 * A CSV row (all strings) → a registration object. Empty cells are left out; numbers and booleans are
 * converted only when they read cleanly, otherwise the text goes through so validation names the field.
 */
export function recordFromCsvRow(row: Record<string, string>, defaultKind?: string): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(row)) {
    const value = raw.trim();
    if (value === '') continue;
    if (numericColumns.has(key) && /^-?\d+(\.\d+)?$/.test(value)) record[key] = Number(value);
    else if (booleanColumns.has(key) && /^(true|false|1|0|yes|no)$/i.test(value))
      record[key] = /^(true|1|yes)$/i.test(value);
    else record[key] = value;
  }
  if (record.kind === undefined && defaultKind) record.kind = defaultKind;
  return record;
}

/** An asset view → one CSV row in the kind's column order (money as fixed decimals). */
export function csvRowFromView(kind: AssetKind, view: Record<string, unknown>): string[] {
  return columnsByKind[kind].map((column) => {
    const value = column === 'vin' || column === 'code' ? view.id : view[column];
    if (value === null || value === undefined) return '';
    return String(value);
  });
}
