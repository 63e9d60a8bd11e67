/**
 * Identifiers of the simulated world: VINs with their check digit (ISO 3779, via @carloop/codes) and
 * GB/T 34014 codes for packs, modules and cells (and 19-character cascade codes for second-life
 * products). Serial numbers come from counters, so the same world gets the same identifiers.
 */
import { formatBatteryCode, formatCascadeBatteryCode, MODEL_YEAR_CODES, makeVin } from '@carloop/codes';

const PLANTS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/** The VIN of the n-th vehicle of a model (positions 1–8 from the model, 10 the model year). */
export function vinFor(wmi: string, modelYear: number, n: number): string {
  const yearCode = MODEL_YEAR_CODES[(modelYear - 1980) % 30]!;
  const plant = PLANTS[Math.floor(n / 1_000_000) % PLANTS.length]!;
  return makeVin(wmi, `${yearCode}${plant}${String(n % 1_000_000).padStart(6, '0')}`);
}

const dateOf = (iso: string) => ({
  year: Number(iso.slice(0, 4)),
  month: Number(iso.slice(5, 7)),
  day: Number(iso.slice(8, 10)),
});

/**
 * A 24-character GB/T 34014 code. `maker` is positions 1–3, `spec` 2 characters, `trace` the
 * 7-character traceability field (here: the vehicle maker's batch), `serial` a global counter.
 */
export function batteryCodeFor(input: {
  maker: string;
  type: 'pack' | 'module' | 'cell';
  chemistry: 'LFP' | 'NCM';
  spec: string;
  trace: string;
  producedAt: string;
  serial: number;
}): string {
  return formatBatteryCode({
    manufacturer: input.maker,
    productType: input.type,
    chemistry: input.chemistry,
    specification: input.spec,
    traceability: input.trace,
    production: dateOf(input.producedAt),
    serial: input.serial,
  });
}

/** A 19-character cascade-use (梯次利用) code of a repurposed pack (GB/T 34014 §4.2). */
export function cascadeCodeFor(input: {
  maker: string;
  chemistry: 'LFP' | 'NCM';
  madeAt: string;
  serial: number;
}): string {
  return formatCascadeBatteryCode({
    manufacturer: input.maker,
    productType: 'pack',
    chemistry: input.chemistry,
    specification: 'R1',
    production: dateOf(input.madeAt),
    serial: input.serial,
    cascadeProductType: 'pack',
  });
}
