/**
 * Converter from the "100,000 UK Used Car Data set" files (residual-value.md §5: one CSV per make,
 * columns make,model,year,price,transmission,mileage,fuelType,tax,mpg,engineSize; GBP, miles; model
 * names with a leading space) to the interchange format.
 *
 * - mileage_km = miles × 1.609344, rounded to the km;
 * - currency GBP, country GB;
 * - sold_at: the files carry no sale or listing date. The listings were collected in 2020 (the newest
 *   model year is 2020), so every row gets one fixed date, 2020-07-01 by default (`soldAt` option).
 *   Ages are therefore "2020.5 − (model year + 0.5)", and a time-ordered split of these rows means
 *   nothing: use the random split.
 * - fuel from fuelType, transmission as given (lower case), engine_l from engineSize;
 * - tax and mpg are not in the interchange format and are dropped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { parseCsvText } from './transactions.ts';

export const MILES_TO_KM = 1.609344;
export const defaultUkSoldAt = '2020-07-01';

const makeNames: Record<string, string> = {
  audi: 'Audi',
  bmw: 'BMW',
  ford: 'Ford',
  hyundai: 'Hyundai',
  hyundi: 'Hyundai',
  merc: 'Mercedes-Benz',
  mercedes: 'Mercedes-Benz',
  skoda: 'Skoda',
  toyota: 'Toyota',
  vauxhall: 'Vauxhall',
  vw: 'Volkswagen',
};

export const interchangeHeader = [
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
  'country',
  'source',
] as const;

export interface ConversionReport {
  files: Array<{ file: string; rows: number }>;
  rows: number;
  soldAt: string;
}

/** Convert every `*.csv` in `dir`; rows keep their values (bad ones are reported later, at fit). */
export function convertUkListings(
  dir: string,
  soldAt = defaultUkSoldAt,
): { csv: string; report: ConversionReport } {
  const files = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort();
  const out: string[][] = [[...interchangeHeader]];
  const report: ConversionReport = { files: [], rows: 0, soldAt };
  for (const file of files) {
    const table = parseCsvText(readFileSync(join(dir, file), 'utf8'));
    const fallbackMake = file.replace(/\.csv$/i, '');
    for (const { line, cells } of table.rows) {
      const rawMake = (cells.make ?? fallbackMake).trim().toLowerCase();
      const miles = Number((cells.mileage ?? '').trim());
      const mileageKm =
        (cells.mileage ?? '').trim() === '' || !Number.isFinite(miles)
          ? (cells.mileage ?? '')
          : String(Math.round(miles * MILES_TO_KM));
      out.push([
        makeNames[rawMake] ?? rawMake,
        (cells.model ?? '').trim(),
        (cells.year ?? '').trim(),
        mileageKm,
        (cells.fuelType ?? '').trim().toLowerCase(),
        (cells.transmission ?? '').trim().toLowerCase(),
        (cells.engineSize ?? '').trim(),
        '',
        (cells.price ?? '').trim(),
        'GBP',
        soldAt,
        'GB',
        `${file}:${line}`,
      ]);
    }
    report.files.push({ file, rows: table.rows.length });
    report.rows += table.rows.length;
  }
  return { csv: stringify(out), report };
}
