import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conditionGradeOfScore } from '../src/modules/lifecycle/index.ts';
import {
  type InspectionInput,
  scoreTechnicalCondition,
  valuationConfig,
} from '../src/modules/valuation/index.ts';
import { DomainError } from '../src/shared/errors.ts';
import { repoRoot } from './support/cli.ts';

const checklist = valuationConfig().checklist;
const score = (inspection: InspectionInput) => scoreTechnicalCondition(inspection, checklist);

describe('GB/T 30323-2013 technical-condition appraisal', () => {
  it('has six categories of 20/20/10/20/15/15 points with the quoted item counts', () => {
    expect(checklist.categories.map((c) => [c.code, c.points, c.items.length])).toEqual([
      ['body', 20, 26],
      ['engineBay', 20, 10],
      ['cabin', 10, 15],
      ['startUp', 20, 10],
      ['roadTest', 15, 10],
      ['underbody', 15, 8],
    ]);
  });

  it('scores a clean car 100, grade 一级', () => {
    const result = score({});
    expect(result.total).toBe(100);
    expect(result.grade).toBe(1);
    expect(result.gradeLabel).toBe('一级');
    expect(result.flags).toEqual({ accident: false, flood: false, fire: false, fireDamage: false });
    expect(result.checklist).toBe('gbt30323-2013-checklist@1');
  });

  it('deducts per item: body by defect severity (capped per panel), other items fail or minor', () => {
    const result = score({
      findings: [
        { item: 'B02', defect: 'HH', severity: 2 },
        { item: 'B02', defect: 'AX', severity: 4 },
        { item: 'B02', defect: 'XS', severity: 4 },
        { item: 'E01', result: 'fail' },
        { item: 'E07', result: 'minor' },
      ],
    });
    const body = result.categories.find((c) => c.code === 'body')!;
    // 1 + 2 = 3 reaches the per-panel cap of 3; the third finding adds nothing.
    expect(body.findings.map((f) => f.deduction)).toEqual([1, 2, 0]);
    expect(body.score).toBe(17);
    const engine = result.categories.find((c) => c.code === 'engineBay')!;
    expect(engine.deductions).toBe(6.75);
    expect(engine.score).toBe(13.25);
    expect(result.total).toBe(100 - 3 - 6.75);
    expect(result.trail.some((s) => s.step === 'body: B02' && s.detail.includes('划痕'))).toBe(true);
  });

  it('never takes a category below 0', () => {
    const findings = checklist.categories
      .find((c) => c.code === 'startUp')!
      .items.map((i) => ({ item: i.code, result: 'fail' as const }));
    const result = score({ findings });
    expect(result.categories.find((c) => c.code === 'startUp')!.score).toBe(0);
    expect(result.total).toBe(80);
  });

  it('grades by the total at the 90 / 60 / 20 thresholds, as the lifecycle event schema does', () => {
    const worst = checklist.categories.flatMap((c) =>
      c.kind === 'pass-fail' ? c.items.map((i) => ({ item: i.code, result: 'fail' as const })) : [],
    );
    const bodyAll = checklist.categories[0]!.items.map((i) => ({ item: i.code, defect: 'BX', severity: 4 }));
    const cases: InspectionInput[] = [
      {},
      {
        findings: [
          { item: 'E01', result: 'fail' },
          { item: 'E03', result: 'fail' },
        ],
      },
      { findings: worst.slice(0, 20) },
      { findings: [...worst, ...bodyAll] },
    ];
    for (const inspection of cases) {
      const r = score(inspection);
      expect(r.grade).toBe(conditionGradeOfScore(r.total));
    }
    expect(score(cases[3]!).total).toBe(0);
    expect(score(cases[3]!).grade).toBe(4);
  });

  it('makes any structural defect an accident car, 五级 whatever the score', () => {
    const result = score({ structural: [{ position: 'A_L', defect: 'SH' }] });
    expect(result.total).toBe(100);
    expect(result.grade).toBe(5);
    expect(result.gradeLabel).toBe('五级');
    expect(result.flags.accident).toBe(true);
    expect(result.reasons[0]).toContain('左A柱');
  });

  it('flags a flood car at 3 flood-line items (CADA) or water in the cabin, not at 2', () => {
    expect(score({ flood: { items: ['F01', 'F03'] } }).flags.flood).toBe(false);
    const three = score({ flood: { items: ['F01', 'F03', 'F10'] } });
    expect(three.flags.flood).toBe(true);
    expect(three.grade).toBe(1);
    expect(three.reasons[0]).toContain('泡水车');
    expect(score({ flood: { items: [], waterInCabin: true } }).flags.flood).toBe(true);
  });

  it('flags a fire car above 0.5 m² burnt with residual hazard, else records fire damage', () => {
    expect(score({ fire: { burntAreaM2: 0.6, residualHazard: true } }).flags).toMatchObject({
      fire: true,
      fireDamage: false,
    });
    expect(score({ fire: { burntAreaM2: 0.5, residualHazard: true } }).flags).toMatchObject({
      fire: false,
      fireDamage: true,
    });
    expect(score({ fire: { burntAreaM2: 2, residualHazard: false } }).flags).toMatchObject({
      fire: false,
      fireDamage: true,
    });
  });

  it('refuses unknown items, defect codes and positions, naming each field', () => {
    try {
      score({
        findings: [
          { item: 'Z99', result: 'fail' },
          { item: 'B01', defect: 'QQ', severity: 1 },
          { item: 'E01', defect: 'HH', severity: 1 },
        ],
        structural: [{ position: 'NOWHERE', defect: 'SH' }],
        flood: { items: ['F99'] },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      const fields = (error as DomainError).errors.map((e) => e.field);
      expect(fields).toEqual([
        'findings.0.item',
        'findings.1.defect',
        'findings.2',
        'structural.0.position',
        'flood.items.0',
      ]);
    }
  });

  it('scores the shipped example inspection', () => {
    const example = JSON.parse(
      readFileSync(`${repoRoot}examples/valuation-inspection.json`, 'utf8'),
    ) as InspectionInput;
    const result = score(example);
    expect(result.categories.map((c) => c.score)).toEqual([18, 19.25, 9.5, 19, 14, 14]);
    expect(result.total).toBe(93.75);
    expect(result.grade).toBe(1);
  });
});
