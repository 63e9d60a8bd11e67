import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadlineOf, duties, dutiesOf, statusOf } from '../src/modules/passports/traceability.model.ts';
import { workingDaysBetween } from '../src/shared/working-days.ts';

const roles: Record<string, string[]> = {
  'party:dis': ['dismantler'],
  'party:rep': ['battery_repurposer'],
  'party:rec': ['recycler'],
};
const rolesOf = (id: string) => roles[id] ?? [];

describe('traceability duties (2018 溯源管理暂行规定)', () => {
  it('gives every duty a 15 or 30 working-day deadline and an article', () => {
    for (const d of duties) {
      expect([15, 30]).toContain(d.workingDays);
      expect(d.article).toMatch(/^Arts?\. /);
    }
  });

  it('splits a hand-over into the sender’s outbound duty and the recycler’s intake duty', () => {
    const handOver = (from: string, purpose: string) =>
      dutiesOf(
        'battery.handed_over',
        { fromPartyId: from, toPartyId: 'party:rec', purpose },
        'party:x',
        rolesOf,
      ).map((m) => [m.duty.event, m.partyId, m.duty.workingDays]);
    expect(handOver('party:dis', 'recycling')).toEqual([
      ['elv_battery_outbound', 'party:dis', 15],
      ['recycler_intake', 'party:rec', 30],
    ]);
    expect(handOver('party:rep', 'recycling')).toEqual([
      ['cascade_waste_outbound', 'party:rep', 15],
      ['recycler_intake', 'party:rec', 30],
    ]);
    expect(handOver('party:other', 'testing')).toEqual([]);
    expect(dutiesOf('battery.removed', { reason: 'repair' }, 'party:x', rolesOf)).toEqual([]);
    expect(
      dutiesOf('battery.removed', { reason: 'vehicle_end_of_life' }, 'party:x', rolesOf)[0]!.partyId,
    ).toBe('party:x');
  });

  it('puts the deadline exactly N working days after the event’s date in China', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2024-01-01T00:00:00Z'),
          max: new Date('2027-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(15, 30),
        (date, n) => {
          const at = date.toISOString();
          const deadline = deadlineOf(at, n);
          return workingDaysBetween(at, deadline) === n && deadline > at.slice(0, 10);
        },
      ),
    );
  });

  it('reads the status from the deadline, the report date and today', () => {
    expect(statusOf('2025-02-14', '2025-02-14T15:59:59Z', '2025-03-01T00:00:00Z')).toBe('on_time');
    // 16:00 UTC is already the next day in Beijing.
    expect(statusOf('2025-02-14', '2025-02-14T16:00:00Z', '2025-03-01T00:00:00Z')).toBe('late');
    expect(statusOf('2025-02-14', null, '2025-02-15T00:00:00Z')).toBe('overdue');
    expect(statusOf('2025-02-14', null, '2025-02-11T00:00:00Z')).toBe('due_soon');
    expect(statusOf('2025-02-14', null, '2025-02-10T00:00:00Z')).toBe('pending');
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2025-01-01T00:00:00Z'),
          max: new Date('2025-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const status = statusOf('2025-06-30', null, d.toISOString());
          return ['overdue', 'due_soon', 'pending'].includes(status);
        },
      ),
    );
  });
});
