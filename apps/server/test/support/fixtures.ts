import { formatBatteryCode, makeVin } from '@carloop/codes';

let serial = 0;

/** A fresh valid Chinese VIN (check digit computed), unique within the test run. */
export function nextVin(): string {
  serial += 1;
  return makeVin('LFV2A21K', `${'P'}${'A'}${String(serial).padStart(6, '0')}`);
}

export function nextBatteryCode(productType: 'pack' | 'module' | 'cell'): string {
  serial += 1;
  return formatBatteryCode({
    manufacturer: 'CAT',
    productType,
    chemistry: 'NCM',
    specification: '01',
    traceability: 'T000001',
    production: { year: 2024, month: 5, day: 17 },
    serial: String(serial).padStart(7, '0'),
  });
}

export const vehicleInput = (vin = nextVin()) => ({
  kind: 'vehicle' as const,
  vin,
  make: 'BYD',
  model: 'Seal',
  trim: 'AWD Performance',
  modelYear: 2024,
  powertrain: 'bev' as const,
  newPrice: '259800.00',
  currency: 'CNY',
});
