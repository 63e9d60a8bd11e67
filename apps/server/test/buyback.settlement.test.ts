import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { returnConditionsByRef } from '../src/modules/buyback/buyback.config.ts';
import {
  applyContractAction,
  contractActions,
  contractStateAt,
  type storedStatuses,
  terminalContractStates,
} from '../src/modules/buyback/contract.machine.ts';
import {
  assessDamage,
  type DamageFinding,
  excessDistanceCharge,
  excessKmOf,
  missingMeasurements,
  rateMicroOf,
  settlementTotal,
} from '../src/modules/buyback/settlement.model.ts';
import { DomainError } from '../src/shared/errors.ts';

const rules = returnConditionsByRef('fair-wear-and-tear@1');
const cnyTiers = [
  { fromKm: 0, rateMicro: rateMicroOf('0.50') },
  { fromKm: 8000, rateMicro: rateMicroOf('0.80') },
];

describe('excess distance', () => {
  it('parses rates exactly', () => {
    expect(rateMicroOf('0.0926')).toBe(92_600);
    expect(rateMicroOf('1')).toBe(1_000_000);
    expect(() => rateMicroOf('-1')).toThrow();
  });

  it('charges each tier on the kilometres inside it', () => {
    expect(excessDistanceCharge(0, cnyTiers, 2)).toEqual({
      chargeMinor: 0,
      lines: [{ fromKm: 0, toKm: 8000, km: 0, rateMicro: 500_000, amountMinor: 0 }],
    });
    expect(excessDistanceCharge(1_000, cnyTiers, 2).chargeMinor).toBe(50_000);
    const stepped = excessDistanceCharge(10_000, cnyTiers, 2);
    expect(stepped.chargeMinor).toBe(8000 * 50 + 2000 * 80);
    expect(stepped.lines.map((l) => l.km)).toEqual([8000, 2000]);
    // Santander's 14.90p/mile: 1,000 excess miles (1,609 km) cost about £149.
    const gbp = excessDistanceCharge(1609, [{ fromKm: 0, rateMicro: rateMicroOf('0.0926') }], 2);
    expect(gbp.chargeMinor).toBe(14_899);
  });

  it('never jumps at a threshold and never falls with distance (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), (km) => {
        const here = excessDistanceCharge(km, cnyTiers, 2).chargeMinor;
        const next = excessDistanceCharge(km + 1, cnyTiers, 2).chargeMinor;
        expect(next - here).toBeGreaterThanOrEqual(0);
        expect(next - here).toBeLessThanOrEqual(80);
      }),
    );
  });

  it('counts only what was driven beyond the allowance, from the reading at sale', () => {
    expect(excessKmOf(61_500, 20, 60_000)).toBe(1_480);
    expect(excessKmOf(30_000, 0, 60_000)).toBe(0);
    expect(excessKmOf(60_000.9, 0, 60_000)).toBe(0);
  });
});

describe('fair wear and tear (BVRLA thresholds)', () => {
  const finding = (over: Partial<DamageFinding>): DamageFinding => ({
    item: 'x',
    type: 'scratch',
    sizeMm: 10,
    repairCostMinor: 30_000,
    ...over,
  });

  it('lets small chips, dents and scratches go and charges the rest at repair cost', () => {
    expect(assessDamage(finding({ type: 'chip', sizeMm: 3 }), rules).withinFairWearAndTear).toBe(true);
    expect(assessDamage(finding({ type: 'chip', sizeMm: 2, conditions: ['rusted'] }), rules).reason).toBe(
      'rusted',
    );
    expect(
      assessDamage(finding({ type: 'chip', sizeMm: 2, count: 6, location: 'door_edge' }), rules)
        .withinFairWearAndTear,
    ).toBe(true);
    expect(assessDamage(finding({ type: 'chip', sizeMm: 2, count: 6 }), rules).withinFairWearAndTear).toBe(
      false,
    );
    expect(assessDamage(finding({ type: 'dent', sizeMm: 15 }), rules).withinFairWearAndTear).toBe(true);
    expect(
      assessDamage(finding({ type: 'dent', sizeMm: 12, conditions: ['onSwageLine'] }), rules)
        .withinFairWearAndTear,
    ).toBe(false);
    const scratch = assessDamage(
      finding({ sizeMm: 60, repairCostMinor: 45_000, replaceCostMinor: 300_000 }),
      rules,
    );
    expect(scratch).toMatchObject({
      withinFairWearAndTear: false,
      basis: 'repair',
      amountMinor: 45_000,
      reason: '60 mm > 25 mm',
    });
    expect(
      assessDamage(finding({ type: 'wheel_damage', sizeMm: undefined }), rules).withinFairWearAndTear,
    ).toBe(false);
  });

  it('judges glass by zone and tyres by tread, charging a replacement where nothing else repairs it', () => {
    expect(
      assessDamage(finding({ type: 'glass', sizeMm: 12, zone: 'driver_view' }), rules).withinFairWearAndTear,
    ).toBe(false);
    expect(
      assessDamage(finding({ type: 'glass', sizeMm: 12, zone: 'wiper_swept' }), rules).withinFairWearAndTear,
    ).toBe(true);
    expect(
      assessDamage(finding({ type: 'glass', sizeMm: 300, zone: 'outside_swept' }), rules)
        .withinFairWearAndTear,
    ).toBe(true);
    const tyre = assessDamage(
      finding({
        type: 'tyre',
        sizeMm: undefined,
        treadMm: 1.2,
        repairable: false,
        repairCostMinor: 0,
        replaceCostMinor: 90_000,
      }),
      rules,
    );
    expect(tyre).toMatchObject({ basis: 'replace', amountMinor: 90_000, reason: 'tread 1.2 mm < 1.6 mm' });
  });

  it('never charges more than a replacement would cost', () => {
    expect(
      assessDamage(finding({ sizeMm: 80, repairCostMinor: 500_000, replaceCostMinor: 200_000 }), rules)
        .amountMinor,
    ).toBe(200_000);
  });

  it('names the measurement a rule needs instead of guessing', () => {
    expect(missingMeasurements(finding({ sizeMm: undefined }), rules)).toEqual(['sizeMm']);
    expect(missingMeasurements(finding({ type: 'glass', sizeMm: 5 }), rules)).toEqual(['zone']);
    expect(missingMeasurements(finding({ type: 'tyre', sizeMm: undefined }), rules)).toEqual(['treadMm']);
    expect(missingMeasurements(finding({ type: 'other', sizeMm: undefined }), rules)).toEqual([]);
  });
});

describe('statement total', () => {
  it('is GFV − excess − damage − missing items, never below zero (property)', () => {
    const line = fc.record({ item: fc.string(), amountMinor: fc.integer({ min: 0, max: 10_000_000 }) });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(line, { maxLength: 10 }),
        fc.array(line, { maxLength: 10 }),
        (gfvMinor, excessChargeMinor, damageCharges, missingItems) => {
          const total = settlementTotal({ gfvMinor, excessChargeMinor, damageCharges, missingItems });
          const sum = (xs: typeof damageCharges) => xs.reduce((s, x) => s + x.amountMinor, 0);
          expect(total).toBe(
            Math.max(0, gfvMinor - excessChargeMinor - sum(damageCharges) - sum(missingItems)),
          );
          expect(total).toBeGreaterThanOrEqual(0);
          expect(total).toBeLessThanOrEqual(gfvMinor);
          expect(Number.isInteger(total)).toBe(true);
        },
      ),
    );
  });
});

describe('contract state machine', () => {
  const window = { opensAt: '2029-01-14T00:00:00.000Z', closesAt: '2029-04-14T00:00:00.000Z' };

  it('derives active, window_open and expired from the clock', () => {
    expect(contractStateAt('active', window, '2027-01-01T00:00:00.000Z')).toBe('active');
    expect(contractStateAt('active', window, '2029-02-01T00:00:00.000Z')).toBe('window_open');
    expect(contractStateAt('active', window, '2029-04-14T00:00:00.000Z')).toBe('expired');
    expect(contractStateAt('exercised', window, '2027-01-01T00:00:00.000Z')).toBe('exercised');
  });

  it('refuses with the reason a person can read', () => {
    const refusal = (
      status: (typeof storedStatuses)[number],
      at: string,
      action: (typeof contractActions)[number],
    ) => {
      try {
        applyContractAction(status, window, at, action);
        return null;
      } catch (error) {
        return error as DomainError;
      }
    };
    expect(refusal('active', '2027-01-01T00:00:00.000Z', 'exercise')?.message).toMatch(/opens on 2029-01-14/);
    const expired = refusal('active', '2029-05-01T00:00:00.000Z', 'exercise');
    expect(expired?.code).toBe('contract_expired');
    expect(expired?.message).toMatch(/expired on 2029-04-14/);
    expect(refusal('exercised', '2029-02-01T00:00:00.000Z', 'exercise')?.message).toMatch(/already settled/);
    expect(refusal('cancelled', '2029-02-01T00:00:00.000Z', 'cancel')?.code).toBe('contract_closed');
    expect(refusal('active', '2029-02-01T00:00:00.000Z', 'expire')?.message).toMatch(/open until/);
    expect(refusal('expired', '2029-05-01T00:00:00.000Z', 'expire')?.message).toMatch(/already recorded/);
  });

  it('only ever moves forward: a terminal state takes no action, and each action lands where it says (property)', () => {
    const instants = fc
      .integer({ min: Date.parse('2026-01-01'), max: Date.parse('2030-01-01') })
      .map((t) => new Date(t).toISOString());
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...contractActions), instants), { maxLength: 12 }),
        (steps) => {
          let status: (typeof storedStatuses)[number] = 'active';
          const sorted = [...steps].sort((a, b) => a[1].localeCompare(b[1]));
          for (const [action, at] of sorted) {
            const before = contractStateAt(status, window, at);
            try {
              const move = applyContractAction(status, window, at, action);
              expect(terminalContractStates).not.toContain(status);
              expect(move.from).toBe(before);
              expect(move.to).toBe(
                { exercise: 'exercised', decline: 'declined', expire: 'expired', cancel: 'cancelled' }[
                  action
                ],
              );
              if (action === 'exercise' || action === 'decline') expect(before).toBe('window_open');
              status = move.to;
            } catch (error) {
              expect(error).toBeInstanceOf(DomainError);
              expect((error as DomainError).kind).toBe('conflict');
            }
          }
        },
      ),
    );
  });
});
