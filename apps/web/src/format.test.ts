import { describe, expect, it } from 'vitest';
import {
  assetSummary,
  bundleFileName,
  checkLabel,
  eventTypeLabel,
  fieldLabel,
  flagLabel,
  formatMinorUnits,
  formatMoney,
  formatScalar,
  formatTime,
  kindLabel,
  odometerReadings,
  pickerValueFromDate,
  shortHash,
  stateLabel,
  statesByKind,
  tallyAssets,
  tallyFromCounts,
  utcFromPickerValue,
  withMoneyShown,
} from './format.ts';

describe('labels', () => {
  it('names kinds, states, flags and checks in Chinese and English', () => {
    expect(kindLabel('vehicle')).toBe('整车 Vehicle');
    expect(kindLabel('battery-pack')).toBe('电池包 Battery pack');
    expect(kindLabel('spaceship')).toBe('spaceship');
    expect(stateLabel('in_use')).toBe('使用中 in use');
    expect(stateLabel('teleported')).toBe('teleported');
    expect(flagLabel('odometer_rollback_suspected')).toBe('疑似里程回调 Odometer rollback suspected');
    expect(flagLabel('vin_mismatch')).toBe('Vin mismatch');
    expect(checkLabel('payload commitments')).toBe('内容承诺 payload commitments');
    expect(eventTypeLabel('vehicle.odometer_read')).toBe('Odometer read');
    expect(eventTypeLabel('material-lot.recovered')).toBe('Recovered');
  });

  it('turns field names into words with their SI unit', () => {
    expect(fieldLabel('ratedCapacityKwh')).toBe('Rated capacity (kWh)');
    expect(fieldLabel('odometerKm')).toBe('Odometer (km)');
    expect(fieldLabel('massKg')).toBe('Mass (kg)');
    expect(fieldLabel('distanceAllowanceKm')).toBe('Distance allowance (km)');
    expect(fieldLabel('termMonths')).toBe('Term (months)');
    expect(fieldLabel('vin')).toBe('VIN');
    expect(fieldLabel('manufacturerPartyId')).toBe('Manufacturer party ID');
    expect(fieldLabel('km')).toBe('Km');
  });
});

describe('times', () => {
  it('shows ISO times in UTC, seconds only when set', () => {
    expect(formatTime('2025-06-12T02:00:00.000Z')).toBe('2025-06-12 02:00 UTC');
    expect(formatTime('2025-06-12T10:00:00+08:00')).toBe('2025-06-12 02:00 UTC');
    expect(formatTime('2025-06-12T02:00:07Z')).toBe('2025-06-12 02:00:07 UTC');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('not a time')).toBe('not a time');
  });

  it('reads the datetime picker as UTC and writes it back', () => {
    expect(utcFromPickerValue('2024-01-01T08:30')).toBe('2024-01-01T08:30:00Z');
    expect(utcFromPickerValue('2024-01-01T08:30:15')).toBe('2024-01-01T08:30:15Z');
    expect(utcFromPickerValue('')).toBeNull();
    expect(utcFromPickerValue('yesterday')).toBeNull();
    expect(pickerValueFromDate(new Date('2024-03-05T07:08:09Z'))).toBe('2024-03-05T07:08');
  });
});

describe('money and numbers', () => {
  it('formats major units with the currency’s own decimals', () => {
    expect(formatMoney(231900, 'CNY')).toBe('CNY 231,900.00');
    expect(formatMoney(1500, 'JPY')).toBe('JPY 1,500');
    expect(formatMinorUnits(25980000, 'CNY')).toBe('CNY 259,800.00');
    expect(formatMinorUnits(150000, 'JPY')).toBe('JPY 150,000');
  });

  it('shows prices of a record with its currency', () => {
    expect(withMoneyShown({ newPrice: 231900, currency: 'CNY', modelYear: 2023 })).toEqual({
      newPrice: 'CNY 231,900.00',
      modelYear: 2023,
    });
    const noCurrency = { newPrice: null, currency: null };
    expect(withMoneyShown(noCurrency)).toBe(noCurrency);
  });

  it('formats scalars by their field', () => {
    expect(formatScalar('massKg', 8400)).toBe('8,400');
    expect(formatScalar('modelYear', 2023)).toBe('2023');
    expect(formatScalar('fiveAssembly', true)).toBe('yes 是');
    expect(formatScalar('soldAt', '2023-06-10T09:30:00Z')).toBe('2023-06-10 09:30 UTC');
    expect(formatScalar('trim', null)).toBe('—');
  });
});

describe('assets', () => {
  const base = { createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' };

  it('summarises each kind in one line', () => {
    expect(
      assetSummary({
        ...base,
        id: 'LRW3E7FA2PC123456',
        kind: 'vehicle',
        state: 'in_use',
        make: 'Tesla',
        model: 'Model 3',
        trim: 'RWD',
        modelYear: 2023,
        powertrain: 'bev',
      }),
    ).toBe('Tesla Model 3 RWD · 2023 · BEV');
    expect(
      assetSummary({
        ...base,
        id: 'X',
        kind: 'battery-pack',
        state: 'produced',
        chemistry: 'NCM',
        ratedCapacityKwh: 77,
        massKg: 490,
      }),
    ).toBe('NCM · 77 kWh · 490 kg');
    expect(
      assetSummary({
        ...base,
        id: 'L',
        kind: 'material-lot',
        state: 'registered',
        material: 'Li2CO3',
        massKg: 1250.5,
      }),
    ).toBe('Li2CO3 · 1,250.5 kg');
  });

  it('tallies assets by kind (catalogue order) and state (most first)', () => {
    const tally = tallyAssets([
      { kind: 'part', state: 'registered' },
      { kind: 'vehicle', state: 'registered' },
      { kind: 'vehicle', state: 'in_use' },
      { kind: 'vehicle', state: 'in_use' },
      { kind: 'zeppelin', state: 'registered' },
    ]);
    expect(tally.total).toBe(5);
    expect(tally.byKind.map((k) => [k.kind, k.total])).toEqual([
      ['vehicle', 3],
      ['part', 1],
      ['zeppelin', 1],
    ]);
    expect(tally.byKind[0]!.states).toEqual([
      { state: 'in_use', count: 2 },
      { state: 'registered', count: 1 },
    ]);
    expect(tallyAssets([])).toEqual({ total: 0, byKind: [] });
    // The server's counts give the same tally as counting the assets one by one.
    expect(
      tallyFromCounts({
        total: 5,
        byKind: {
          zeppelin: { total: 1, byState: { registered: 1 } },
          part: { total: 1, byState: { registered: 1 } },
          vehicle: { total: 3, byState: { registered: 1, in_use: 2 } },
        },
      }),
    ).toEqual(tally);
  });

  it('derives the states of each kind from the event catalogue', () => {
    const states = statesByKind([
      { type: 'vehicle.produced', subjectKind: 'vehicle', fromStates: 'initial', toState: 'produced' },
      { type: 'vehicle.sold', subjectKind: 'vehicle', fromStates: ['produced'], toState: 'sold' },
      {
        type: 'vehicle.odometer_read',
        subjectKind: 'vehicle',
        fromStates: ['sold', 'in_use'],
        toState: null,
      },
    ]);
    expect(states).toEqual({ vehicle: ['registered', 'produced', 'sold', 'in_use'] });
  });

  it('names bundle files safely', () => {
    expect(bundleFileName('LRW3E7FA2PC123456')).toBe('carloop-history-LRW3E7FA2PC123456.json');
    expect(bundleFileName('DQ381/0DL22771')).toBe('carloop-history-DQ381_0DL22771.json');
    expect(shortHash('abcdefghijklmnop', 4)).toBe('abcd…');
    expect(shortHash('abc', 4)).toBe('abc');
  });
});

describe('odometer readings', () => {
  const event = (subjectSeq: number, type: string, payload?: unknown) => ({
    subjectSeq,
    occurredAt: `2024-01-0${subjectSeq + 1}T00:00:00Z`,
    type,
    payload,
  });

  it('marks a reading below the highest before it, as the server flags a suspected rollback', () => {
    const readings = odometerReadings([
      event(0, 'vehicle.produced', { model: 'Model 3' }),
      event(1, 'vehicle.odometer_read', { odometerKm: 18250 }),
      event(2, 'vehicle.serviced', { odometerKm: 9000 }),
      event(3, 'vehicle.odometer_read', { odometerKm: 12000 }),
      event(4, 'vehicle.odometer_read', { odometerKm: 19000 }),
      event(5, 'vehicle.odometer_read'),
      event(6, 'battery.health_reported', { odometerKm: 1 }),
    ]);
    expect(readings.map((r) => [r.subjectSeq, r.km, r.fellFromKm])).toEqual([
      [1, 18250, undefined],
      [2, 9000, 18250],
      [3, 12000, 18250],
      [4, 19000, undefined],
    ]);
  });
});
