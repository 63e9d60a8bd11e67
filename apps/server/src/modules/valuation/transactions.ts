/**
 * The transaction interchange format (CSV with a header; extra columns ignored):
 *
 *   make,model,year,mileage_km,fuel,transmission,engine_l,power_kw,price,currency,sold_at
 *
 * required: make, model, year, mileage_km, sold_at (ISO date), and price (with currency) for training
 * rows; optional: trim, body, engine_l, power_kw, condition_score (0–100), accident (true/false),
 * soh (0–1), country, new_price. Prices are decimal major units. Empty optional cells are missing.
 *
 * Every rejected row is reported with its line and reason and left out; nothing is made up.
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';

/** What the engine knows about one vehicle at one date (the valuation date or the sale date). */
export interface VehicleFacts {
  make: string;
  model: string;
  year: number;
  mileageKm: number;
  /** ISO date (YYYY-MM-DD) the price refers to: the sale, or the date being valued. */
  soldAt: string;
  fuel?: string;
  transmission?: string;
  engineL?: number;
  powerKw?: number;
  trim?: string;
  body?: string;
  conditionScore?: number;
  accident?: boolean;
  /** Battery state of health, 0–1. */
  soh?: number;
  country?: string;
  /** New (list) price in major units of `currency`. */
  newPrice?: number;
  currency?: string;
}

/** A vehicle as valuations and forecasts are asked for it: the odometer at the date being valued. */
export interface VehicleAtDate {
  make: string;
  model: string;
  year: number;
  odometerKm: number;
  currency: string;
  fuel?: string;
  transmission?: string;
  engineL?: number;
  powerKw?: number;
  body?: string;
  trim?: string;
  soh?: number;
  conditionScore?: number;
  accident?: boolean;
  newPrice?: number;
}

const optionalFacts = [
  'fuel',
  'transmission',
  'engineL',
  'powerKw',
  'body',
  'trim',
  'soh',
  'conditionScore',
  'accident',
  'newPrice',
] as const;

/** The facts of a vehicle valued on `day` (ISO date), optional fields only where given. */
export function factsAt(v: VehicleAtDate, day: string): VehicleFacts {
  const facts: VehicleFacts = {
    make: v.make,
    model: v.model,
    year: v.year,
    mileageKm: v.odometerKm,
    soldAt: day,
    currency: v.currency,
  };
  for (const k of optionalFacts) {
    if (v[k] !== undefined) (facts as unknown as Record<string, unknown>)[k] = v[k];
  }
  return facts;
}

export interface Transaction extends VehicleFacts {
  price: number;
  currency: string;
  /** 1-based line of the source file (the header is line 1). */
  line: number;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

export const interchangeColumns = [
  'make',
  'model',
  'year',
  'mileage_km',
  'fuel',
  'transmission',
  'engine_l',
  'power_kw',
  'price',
  'currency',
  'sold_at',
] as const;
export const optionalColumns = [
  'trim',
  'body',
  'condition_score',
  'accident',
  'soh',
  'country',
  'new_price',
] as const;

let knownCurrencies: Set<string> | undefined;
/** ISO 4217 codes known to this runtime's ICU data. */
export function isKnownCurrency(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return knownCurrencies.has(code);
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** `YYYY-MM-DD` from an ISO date or date-time, or null. */
export function isoDay(value: string): string | null {
  const m = isoDate.exec(value.trim());
  if (!m) return null;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}`)
    return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Fractional calendar year of an ISO day (2020-07-02 → ≈ 2020.5). */
const fractions = new Map<string, number>();
export function yearFraction(day: string): number {
  let f = fractions.get(day);
  if (f === undefined) {
    const t = Date.parse(`${day}T00:00:00Z`);
    const y = new Date(t).getUTCFullYear();
    const start = Date.UTC(y, 0, 1);
    const end = Date.UTC(y + 1, 0, 1);
    f = y + (t - start) / (end - start);
    if (fractions.size > 100_000) fractions.clear();
    fractions.set(day, f);
  }
  return f;
}

/**
 * Age in years at `soldAt`, counting a model year from its middle (1 July): the usual convention when
 * only the model year is known. Never negative.
 */
export function ageInYears(year: number, soldAt: string): number {
  return Math.max(0, yearFraction(soldAt) - (year + 0.5));
}

type Cells = Record<string, string | undefined>;

const text = (cells: Cells, key: string) => (cells[key] ?? '').trim();

function numberCell(cells: Cells, key: string, problems: string[]): number | undefined {
  const raw = text(cells, key);
  if (raw === '') return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v)) {
    problems.push(`${key} "${raw}" is not a number`);
    return undefined;
  }
  return v;
}

export interface ParseOptions {
  /** Training rows need a positive price and a known currency. */
  requirePrice: boolean;
  /** Training rows cannot be sold after this day (ISO); default: today. */
  today?: string;
}

/**
 * Check one row of cells; returns the facts (with price when present) or every reason it is refused.
 */
export function parseRow(
  cells: Cells,
  line: number,
  options: ParseOptions,
):
  | { ok: true; row: Transaction | (VehicleFacts & { line: number; price?: number }) }
  | { ok: false; reason: string } {
  const problems: string[] = [];
  const make = text(cells, 'make');
  const model = text(cells, 'model');
  if (make === '') problems.push('make is required');
  if (model === '') problems.push('model is required');
  const yearText = text(cells, 'year');
  const year = Number(yearText);
  if (yearText === '') problems.push('year is required');
  else if (!Number.isInteger(year) || year < 1900) problems.push(`year "${yearText}" is not a model year`);
  const mileageText = text(cells, 'mileage_km');
  const mileageKm = Number(mileageText);
  if (mileageText === '') problems.push('mileage_km is required');
  else if (!Number.isFinite(mileageKm)) problems.push(`mileage_km "${mileageText}" is not a number`);
  else if (mileageKm < 0) problems.push(`mileage_km ${mileageText} is negative`);
  const soldText = text(cells, 'sold_at');
  const soldAt = soldText === '' ? null : isoDay(soldText);
  if (soldText === '') problems.push('sold_at is required (ISO date)');
  else if (!soldAt) problems.push(`sold_at "${soldText}" is not an ISO date`);
  if (soldAt && Number.isInteger(year) && year > Number(soldAt.slice(0, 4)) + 1)
    problems.push(`year ${year} is in the future of sold_at ${soldAt}`);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  if (options.requirePrice && soldAt && soldAt > today) problems.push(`sold_at ${soldAt} is in the future`);

  const priceText = text(cells, 'price');
  let price: number | undefined;
  if (priceText !== '') {
    price = Number(priceText);
    if (!Number.isFinite(price)) problems.push(`price "${priceText}" is not a number`);
    else if (price <= 0) problems.push(`price ${priceText} is not positive`);
  } else if (options.requirePrice) problems.push('price is required for training rows');
  const currency = text(cells, 'currency');
  if (currency !== '' && !isKnownCurrency(currency))
    problems.push(`currency "${currency}" is not an ISO 4217 code`);
  else if (currency === '' && (options.requirePrice || priceText !== '' || text(cells, 'new_price') !== ''))
    problems.push('currency is required with a price');

  const engineL = numberCell(cells, 'engine_l', problems);
  if (engineL !== undefined && (engineL < 0 || engineL > 20))
    problems.push(`engine_l ${engineL} is out of range (0–20)`);
  const powerKw = numberCell(cells, 'power_kw', problems);
  if (powerKw !== undefined && (powerKw <= 0 || powerKw > 2000))
    problems.push(`power_kw ${powerKw} is out of range`);
  const conditionScore = numberCell(cells, 'condition_score', problems);
  if (conditionScore !== undefined && (conditionScore < 0 || conditionScore > 100))
    problems.push(`condition_score ${conditionScore} is outside 0–100`);
  const soh = numberCell(cells, 'soh', problems);
  if (soh !== undefined && (soh < 0 || soh > 1)) problems.push(`soh ${soh} is outside 0–1`);
  const newPrice = numberCell(cells, 'new_price', problems);
  if (newPrice !== undefined && newPrice <= 0) problems.push(`new_price ${newPrice} is not positive`);
  const accidentText = text(cells, 'accident').toLowerCase();
  let accident: boolean | undefined;
  if (accidentText === 'true' || accidentText === '1') accident = true;
  else if (accidentText === 'false' || accidentText === '0') accident = false;
  else if (accidentText !== '') problems.push(`accident "${accidentText}" is not true or false`);

  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  const optional = (key: string) => {
    const v = text(cells, key);
    return v === '' ? undefined : v;
  };
  const row: VehicleFacts & { line: number; price?: number } = {
    line,
    make,
    model,
    year,
    mileageKm,
    soldAt: soldAt!,
  };
  const put = <K extends keyof typeof row>(key: K, value: (typeof row)[K] | undefined) => {
    if (value !== undefined) row[key] = value;
  };
  put('fuel', optional('fuel'));
  put('transmission', optional('transmission'));
  put('engineL', engineL);
  put('powerKw', powerKw);
  put('trim', optional('trim'));
  put('body', optional('body'));
  put('conditionScore', conditionScore);
  put('accident', accident);
  put('soh', soh);
  put('country', optional('country'));
  put('newPrice', newPrice);
  put('currency', currency === '' ? undefined : currency);
  put('price', price);
  return { ok: true, row };
}

export interface CsvTable {
  header: string[];
  rows: Array<{ line: number; cells: Record<string, string> }>;
}

/** Read a CSV with a header, keeping each record's line number. */
export function parseCsvText(textContent: string): CsvTable {
  const records = parseCsv(textContent.replace(/^\uFEFF/, ''), {
    columns: (header: string[]) => header.map((h) => h.trim()),
    skip_empty_lines: true,
    info: true,
    relax_column_count: true,
    trim: false,
  }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  const firstLine = textContent.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const header = (parseCsv(firstLine) as string[][])[0]?.map((h) => h.trim()) ?? [];
  return { header, rows: records.map(({ record, info }) => ({ line: info.lines, cells: record })) };
}

export function readCsvFile(path: string): CsvTable {
  return parseCsvText(readFileSync(path, 'utf8'));
}

export interface TrainingSet {
  transactions: Transaction[];
  rejected: RejectedRow[];
  rows: number;
  currency: string | null;
}

/**
 * Training transactions from a table: rows with impossible values are rejected with line and reason;
 * rows in a currency other than the set's main one are rejected too (no exchange rates in a model).
 */
export function trainingSetOf(table: CsvTable, options: { today?: string } = {}): TrainingSet {
  const transactions: Transaction[] = [];
  const rejected: RejectedRow[] = [];
  for (const { line, cells } of table.rows) {
    const parsed = parseRow(cells, line, {
      requirePrice: true,
      ...(options.today ? { today: options.today } : {}),
    });
    if (!parsed.ok) rejected.push({ line, reason: parsed.reason });
    else transactions.push(parsed.row as Transaction);
  }
  const counts = new Map<string, number>();
  for (const t of transactions) counts.set(t.currency, (counts.get(t.currency) ?? 0) + 1);
  const currency = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const kept = transactions.filter((t) => {
    if (t.currency === currency) return true;
    rejected.push({
      line: t.line,
      reason: `currency ${t.currency} differs from the training currency ${currency}; a model holds no exchange rates`,
    });
    return false;
  });
  rejected.sort((a, b) => a.line - b.line);
  return { transactions: kept, rejected, rows: table.rows.length, currency };
}

/** Transactions given as objects (HTTP): the same checks as CSV cells, lines numbered from 1. */
export function cellsOfObject(record: Record<string, unknown>): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === null || v === undefined) continue;
    const key = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    cells[key] = String(v);
  }
  return cells;
}
