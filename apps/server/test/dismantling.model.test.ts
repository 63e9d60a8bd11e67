import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateByMass,
  assemblyCodeCarriesVin,
  assessIntake,
  certificateNumber,
  checkEnterpriseCode,
  checkPretreatment,
  deadlineStatus,
  defaultAssemblyCode,
  type PretreatmentChecklist,
  recoveryRates,
  sumBalances,
  usccCheckCharacter,
} from '../src/modules/dismantling/dismantling.model.ts';

describe('intake refusals', () => {
  it('refuses mortgaged, frame or engine missing and stolen vehicles, each with its rule', () => {
    const a = assessIntake(
      ['stolen', 'mortgaged', 'frame-missing', 'engine-missing'],
      '2026-05-01T00:00:00Z',
    );
    expect(a.refusals.map((r) => r.code)).toEqual([
      'mortgaged_or_pledged',
      'frame_missing',
      'engine_missing',
      'suspected_stolen',
    ]);
    expect(a.refusals.find((r) => r.code === 'frame_missing')!.rule).toMatch(/Art\. 20/);
    expect(assessIntake([], '2026-05-01T00:00:00Z')).toEqual({
      refusals: [],
      missingItems: [],
      warnings: [],
    });
  });

  it('applies the traction-battery rule from 2026-04-01 00:00 Beijing time', () => {
    expect(assessIntake(['battery-missing'], '2026-03-31T15:59:59Z').refusals).toEqual([]);
    expect(assessIntake(['battery-missing'], '2026-03-31T15:59:59Z').missingItems).toEqual([
      'traction_battery',
    ]);
    expect(assessIntake(['battery-missing'], '2026-03-31T16:00:00Z').refusals[0]!.code).toBe(
      'traction_battery_missing',
    );
  });
});

describe('pre-treatment checklist (GB 22128)', () => {
  const complete: PretreatmentChecklist = {
    completedAt: '2026-11-03T08:00:00Z',
    siteId: 'site:a',
    tractionBattery: {
      packCode: 'P',
      highVoltageIsolatedAt: '2026-11-03T01:00:00Z',
      removedAt: '2026-11-03T02:00:00Z',
    },
    lowVoltageBattery: { removed: true },
    airbags: { fitted: 6, neutralised: 6 },
    fluids: [
      { fluid: 'coolant', capacityLitres: 10, drainedLitres: 9 },
      { fluid: 'fuel', capacityLitres: 0, drainedLitres: 0 },
    ],
    refrigerant: { type: 'R134a', recoveredKg: 0.5 },
  };
  const context = { receivedAt: '2026-11-02T00:00:00Z', newEnergy: true, packCodeAtIntake: 'P' };

  it('passes a complete checklist (90 % drainage exactly is enough; an empty system counts as drained)', () => {
    expect(checkPretreatment(complete, context)).toEqual([]);
  });

  it('names every failing item', () => {
    const fields = checkPretreatment(
      {
        ...complete,
        tractionBattery: {
          packCode: 'Q',
          highVoltageIsolatedAt: '2026-11-03T03:00:00Z',
          removedAt: '2026-11-03T02:00:00Z',
        },
        lowVoltageBattery: { removed: false },
        airbags: { fitted: 6, neutralised: 5 },
        fluids: [{ fluid: 'coolant', capacityLitres: 10, drainedLitres: 8.99 }],
        refrigerant: { type: 'none', recoveredKg: 0.1 },
      },
      context,
    ).map((e) => e.field);
    expect(fields).toEqual([
      'tractionBattery.packCode',
      'tractionBattery.highVoltageIsolatedAt',
      'lowVoltageBattery.removed',
      'airbags.neutralised',
      'fluids.0.drainedLitres',
      'refrigerant.recoveredKg',
    ]);
  });

  it('requires the traction battery of a new-energy vehicle', () => {
    const { tractionBattery: _battery, ...rest } = complete;
    expect(checkPretreatment(rest, context).map((e) => e.field)).toEqual(['tractionBattery']);
    expect(checkPretreatment(rest, { ...context, newEnergy: false, packCodeAtIntake: null })).toEqual([]);
  });
});

describe('five-assembly codes', () => {
  it('default codes carry the VIN; a code without it is caught', () => {
    const vin = 'LRW3E7FA2PC123456';
    expect(defaultAssemblyCode(vin, 'frame', 1)).toBe(`${vin}-FR1`);
    expect(assemblyCodeCarriesVin(`FR-${vin}`, vin)).toBe(true);
    expect(assemblyCodeCarriesVin('FR-LRW3E7FA2PC12345', vin)).toBe(false);
  });

  it('numbers certificates per year', () => {
    expect(certificateNumber(2026, 42)).toBe('ELV-2026-0000042');
  });
});

describe('ISO 22628 rates', () => {
  it('R_cyc = (reuse + recycling) / m_V, R_cov adds energy recovery', () => {
    const rates = recoveryRates({
      massKg: 1000,
      reuseKg: 100,
      batteryKg: 0,
      batteryReused: false,
      outputs: [
        { treatment: 'recycling', massKg: 700 },
        { treatment: 'energy_recovery', massKg: 120 },
        { treatment: 'disposal', massKg: 60 },
      ],
    });
    expect(rates).toMatchObject({
      reuseKg: 100,
      recycleKg: 700,
      energyRecoveryKg: 120,
      disposalKg: 60,
      unaccountedKg: 20,
      recyclabilityRate: 0.8,
      recoverabilityRate: 0.92,
      meetsTargets: { recyclability: false, recoverability: false },
    });
  });

  it('counts a removed battery as recycling (pre-treatment, m_P) unless it went to cascade use', () => {
    const base = { massKg: 2000, reuseKg: 0, batteryKg: 500, outputs: [] };
    expect(recoveryRates({ ...base, batteryReused: false })).toMatchObject({ reuseKg: 0, recycleKg: 500 });
    expect(recoveryRates({ ...base, batteryReused: true })).toMatchObject({ reuseKg: 500, recycleKg: 0 });
  });

  it('period rates are by summed mass (average vehicle weight), not an average of rates', () => {
    const small = {
      massKg: 1000,
      reuseKg: 0,
      batteryKg: 0,
      batteryReused: false,
      outputs: [{ treatment: 'recycling' as const, massKg: 1000 }],
    };
    const large = {
      massKg: 3000,
      reuseKg: 0,
      batteryKg: 0,
      batteryReused: false,
      outputs: [{ treatment: 'recycling' as const, massKg: 1500 }],
    };
    expect(recoveryRates(sumBalances([small, large])).recyclabilityRate).toBe(0.625);
  });
});

describe('batch allocation', () => {
  it('splits by intake mass and the shares add up to the whole (property)', () => {
    fc.assert(
      fc.property(
        // Weighbridge readings to the gram.
        fc.integer({ min: 1, max: 100_000_000 }).map((grams) => grams / 1000),
        fc.array(fc.double({ min: 1, max: 40_000, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (total, masses) => {
          const shares = allocateByMass(total, masses);
          expect(shares).toHaveLength(masses.length);
          expect(Math.abs(shares.reduce((s, x) => s + x, 0) - total)).toBeLessThan(1e-6);
          for (const share of shares) expect(share).toBeGreaterThanOrEqual(0);
        },
      ),
    );
    expect(allocateByMass(90, [1000, 2000])).toEqual([30, 60]);
    expect(allocateByMass(0.002, [1, 1, 1, 1])).toEqual([0.001, 0.001, 0, 0]);
  });
});

describe('deadlines and receiver codes', () => {
  it('is on time through the deadline day in China, overdue the day after', () => {
    expect(deadlineStatus('2026-11-24', '2026-11-24T15:59:00Z', '2026-12-01T00:00:00Z')).toBe('on_time');
    expect(deadlineStatus('2026-11-24', '2026-11-24T16:00:00Z', '2026-12-01T00:00:00Z')).toBe('late');
    expect(deadlineStatus('2026-11-24', null, '2026-11-24T10:00:00Z')).toBe('pending');
    expect(deadlineStatus('2026-11-24', null, '2026-11-25T01:00:00Z')).toBe('overdue');
  });

  it('checks the GB 32100-2015 check character of a unified social credit code', () => {
    const base = '91320500MA1MXK7Q3';
    const code = base + usccCheckCharacter(base);
    expect(checkEnterpriseCode(code)).toBeNull();
    const wrong = base + (code.endsWith('0') ? '1' : '0');
    expect(checkEnterpriseCode(wrong)).toMatch(/check character/);
    expect(checkEnterpriseCode('123456789')).toBeNull(); // DUNS
    expect(checkEnterpriseCode('ACME')).toMatch(/unified social credit code/);
  });
});
