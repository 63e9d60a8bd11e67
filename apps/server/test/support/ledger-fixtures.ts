import { type ExampleHistory, exampleHistories, exampleIds } from '../../src/modules/lifecycle/index.ts';

export const vehicleLife = exampleHistories.find((h) => h.kind === 'vehicle')!;

/** The assets the example histories refer to, ready for `registerAssets`. */
export const exampleAssets = [
  {
    kind: 'vehicle',
    vin: exampleIds.vin,
    make: 'Tesla',
    model: 'Model Y',
    modelYear: 2023,
    powertrain: 'bev',
    newPrice: '263900.00',
    currency: 'CNY',
  },
  {
    kind: 'vehicle',
    vin: exampleIds.otherVin,
    make: 'SAIC',
    model: 'MG4',
    modelYear: 2022,
    powertrain: 'bev',
  },
  { kind: 'battery-pack', code: exampleIds.pack, ratedCapacityKwh: 60, massKg: 420 },
  { kind: 'battery-pack', code: exampleIds.otherPack, ratedCapacityKwh: 60, massKg: 420 },
];

/** The events of a history as ledger input lines, one second apart. */
export function linesOf(
  history: ExampleHistory,
  from = 0,
  to = history.events.length,
  start = Date.parse('2026-01-01T00:00:00Z'),
) {
  return history.events.slice(from, to).map((e, i) => ({
    type: e.type,
    subject: { kind: history.kind, id: history.subjectId },
    occurredAt: new Date(start + (from + i) * 1000).toISOString(),
    payload: e.payload as Record<string, unknown>,
  }));
}
