import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import { eventTypes, examplePayloads, exampleIds as ids, parseEventPayload } from './index.ts';

/** The DomainError a call throws (fails the test if it does not throw one). */
function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const fieldsOf = (fn: () => unknown) => errorOf(fn).errors.map((e) => e.field);

describe('parseEventPayload', () => {
  it.each(eventTypes)('rejects an unknown field in %s', (type) => {
    const error = errorOf(() => parseEventPayload(type, { ...examplePayloads[type], ownerName: '张三' }));
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe('invalid_payload');
    expect(error.errors.map((e) => e.field)).toEqual(['payload.ownerName']);
  });

  it('rejects unknown fields inside nested objects too', () => {
    const sold = examplePayloads['vehicle.sold'];
    const withExtra = { ...sold, guarantee: { ...sold.guarantee, customerIdNumber: '310101199001011234' } };
    expect(fieldsOf(() => parseEventPayload('vehicle.sold', withExtra))).toEqual([
      'payload.guarantee.customerIdNumber',
    ]);
  });

  it('accepts a sale with and without a buyback guarantee', () => {
    const { guarantee: _guarantee, ...plain } = examplePayloads['vehicle.sold'];
    expect(parseEventPayload('vehicle.sold', plain).guarantee).toBeUndefined();
    expect(parseEventPayload('vehicle.sold', examplePayloads['vehicle.sold']).guarantee?.termMonths).toBe(36);
  });

  it('prefixes field errors with payload.', () => {
    const bad = { ...examplePayloads['vehicle.odometer_read'], odometerKm: -5, readAt: 'yesterday' };
    expect(fieldsOf(() => parseEventPayload('vehicle.odometer_read', bad)).sort()).toEqual([
      'payload.odometerKm',
      'payload.readAt',
    ]);
  });

  it('takes money only as integer minor units with an upper-case ISO 4217 code', () => {
    const listed = examplePayloads['vehicle.listed'];
    for (const price of [
      { amountMinor: 1499.5, currency: 'CNY' },
      { amountMinor: 149_800, currency: 'cny' },
      { amountMinor: -1, currency: 'CNY' },
      { amount: 1498, currency: 'CNY' },
    ]) {
      expect(fieldsOf(() => parseEventPayload('vehicle.listed', { ...listed, price }))[0]).toMatch(
        /^payload\.price/,
      );
    }
  });

  it('takes times only as ISO 8601 UTC', () => {
    const read = examplePayloads['vehicle.odometer_read'];
    expect(() =>
      parseEventPayload('vehicle.odometer_read', { ...read, readAt: '2024-01-15T16:00:00+08:00' }),
    ).toThrow(DomainError);
    expect(() => parseEventPayload('vehicle.odometer_read', { ...read, readAt: '2024-01-15' })).toThrow(
      DomainError,
    );
  });

  it('checks VINs and battery codes', () => {
    const bound = examplePayloads['vehicle.battery_bound'];
    expect(
      fieldsOf(() => parseEventPayload('vehicle.battery_bound', { ...bound, packCode: 'NOT-A-CODE' })),
    ).toContain('payload.packCode');
    // A module code where a pack code belongs (GB/T 34014 position 4).
    expect(
      fieldsOf(() => parseEventPayload('vehicle.battery_bound', { ...bound, packCode: ids.module })),
    ).toEqual(['payload.packCode']);
    const harvested = examplePayloads['part.harvested'];
    const wrongCheckDigit = `${ids.vin.slice(0, 8)}0${ids.vin.slice(9)}`;
    expect(
      fieldsOf(() => parseEventPayload('part.harvested', { ...harvested, vin: wrongCheckDigit })),
    ).toEqual(['payload.vin']);
  });

  it('holds the appraisal grade to the GB/T 30323 score bands, except grade 5 (accident car)', () => {
    const appraised = examplePayloads['vehicle.appraised'];
    expect(parseEventPayload('vehicle.appraised', { ...appraised, score: 92, grade: 1 }).grade).toBe(1);
    expect(parseEventPayload('vehicle.appraised', { ...appraised, score: 92, grade: 5 }).grade).toBe(5);
    expect(
      fieldsOf(() => parseEventPayload('vehicle.appraised', { ...appraised, score: 92, grade: 3 })),
    ).toEqual(['payload.grade']);
  });

  it('keeps the five-assembly flag consistent with the part category (Order 715 Art. 10)', () => {
    const harvested = examplePayloads['part.harvested'];
    expect(
      parseEventPayload('part.harvested', { ...harvested, category: 'engine', fiveAssembly: true })
        .fiveAssembly,
    ).toBe(true);
    expect(
      fieldsOf(() =>
        parseEventPayload('part.harvested', { ...harvested, category: 'frame', fiveAssembly: false }),
      ),
    ).toEqual(['payload.fiveAssembly']);
  });

  it('requires a part sold for reuse to be marked 报废机动车回用件 (Order 715 Art. 12)', () => {
    const sold = examplePayloads['part.sold'];
    expect(fieldsOf(() => parseEventPayload('part.sold', { ...sold, reusedPartMarked: false }))).toEqual([
      'payload.reusedPartMarked',
    ]);
    expect(
      parseEventPayload('part.sold', { ...sold, destination: 'remanufacturing', reusedPartMarked: false }),
    ).toBeTruthy();
  });

  it('rejects a repurposed battery whose new code is its old one', () => {
    const repurposed = { ...examplePayloads['battery.repurposed'], newCode: ids.pack };
    expect(fieldsOf(() => parseEventPayload('battery.repurposed', repurposed))).toEqual(['payload.newCode']);
  });

  it('names an unknown event type without listing the catalogue', () => {
    const error = errorOf(() => parseEventPayload('vehicle.teleported', {}));
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe('unknown_event_type');
    expect(error.errors).toEqual([
      { field: 'type', message: expect.stringContaining("'vehicle.teleported'") },
    ]);
    expect(error.errors[0]!.message.length).toBeLessThan(120);
  });
});
