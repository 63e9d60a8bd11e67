/**
 * GB/T 30323-2013 technical-condition appraisal (技术状况鉴定): six categories scored from full marks
 * minus per-item deductions, a total out of 100, the grade 一级–四级 from the total, and 五级 for an
 * accident car whatever the score; flood and fire flags by the working rules of the checklist table.
 * The buyback module reuses this for return inspections. Pure: no I/O.
 */
import { z } from '@hono/zod-openapi';
import { type FieldError, invalid } from '../../shared/errors.ts';
import type { TrailStep } from './learned.model.ts';
import { type Checklist, tableLabel } from './valuation.config.ts';

export const inspectionSchema = z.strictObject({
  checklist: z.string().optional().meta({ description: 'checklist table@version; default the shipped one' }),
  vin: z.string().max(17).optional(),
  odometerKm: z.number().nonnegative().max(10_000_000).optional(),
  inspectedAt: z.iso.datetime().optional(),
  findings: z
    .array(
      z.strictObject({
        item: z
          .string()
          .min(1)
          .max(20)
          .meta({ description: 'checklist item code, e.g. B02 (body) or E05 (engine bay)' }),
        defect: z
          .string()
          .max(4)
          .optional()
          .meta({ description: 'body items: defect code HH, BX, XS, LW, AX or XF' }),
        severity: z.int().min(1).max(4).optional().meta({ description: 'body items: severity 1–4' }),
        result: z
          .enum(['fail', 'minor'])
          .optional()
          .meta({ description: 'other items: fail, or minor (part deduction)' }),
        note: z.string().max(500).optional(),
      }),
    )
    .max(500)
    .default([]),
  structural: z
    .array(
      z.strictObject({
        position: z
          .string()
          .min(1)
          .max(20)
          .meta({ description: 'body-structure position, e.g. A_L (left A pillar)' }),
        defect: z.string().min(1).max(4).meta({ description: 'BX, NQ, GH, SH or ZZ' }),
        note: z.string().max(500).optional(),
      }),
    )
    .max(50)
    .default([]),
  flood: z
    .strictObject({
      items: z
        .array(z.string().max(20))
        .max(100)
        .default([])
        .meta({ description: 'flood-line items showing corrosion or residue' }),
      waterInCabin: z.boolean().default(false),
      waterAboveHalfBodyHeight: z.boolean().default(false),
    })
    .optional(),
  fire: z
    .strictObject({
      burntAreaM2: z.number().nonnegative().max(100),
      residualHazard: z.boolean().default(false),
    })
    .optional(),
});
export type Inspection = z.output<typeof inspectionSchema>;
export type InspectionInput = z.input<typeof inspectionSchema>;

export interface ScoredFinding {
  item: string;
  zh: string;
  en: string;
  defect?: string;
  severity?: number;
  result?: 'fail' | 'minor';
  deduction: number;
  note?: string;
}

export interface CategoryScore {
  code: string;
  zh: string;
  en: string;
  points: number;
  deductions: number;
  score: number;
  findings: ScoredFinding[];
}

export interface AppraisalFlags {
  /** 事故车: a listed defect at a body-structure position. */
  accident: boolean;
  /** 泡水车 by the checklist's flood rule. */
  flood: boolean;
  /** 火烧车 by the checklist's fire rule. */
  fire: boolean;
  /** A burn recorded that does not reach the fire-car rule. */
  fireDamage: boolean;
}

export interface Appraisal {
  checklist: string;
  standard: string;
  categories: CategoryScore[];
  total: number;
  grade: 1 | 2 | 3 | 4 | 5;
  gradeLabel: string;
  flags: AppraisalFlags;
  reasons: string[];
  trail: TrailStep[];
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Score an inspection against a checklist table. Unknown item, defect or position codes are refused
 * with the field that names them.
 */
export function scoreTechnicalCondition(input: InspectionInput, checklist: Checklist): Appraisal {
  const parsed = inspectionSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(
      'invalid_inspection',
      'the inspection failed validation',
      parsed.error.issues.map((i) => ({
        field: i.path.map(String).join('.') || '(root)',
        message: i.message,
      })),
    );
  }
  const inspection = parsed.data;
  const label = tableLabel(checklist);
  const errors: FieldError[] = [];
  if (inspection.checklist && inspection.checklist !== label)
    errors.push({
      field: 'checklist',
      message: `this service scores with ${label}; got ${inspection.checklist}`,
    });

  const itemIndex = new Map<
    string,
    {
      category: Checklist['categories'][number];
      item: { code: string; zh: string; en: string; deduct?: number };
    }
  >();
  for (const category of checklist.categories)
    for (const item of category.items) itemIndex.set(item.code, { category, item });

  const trail: TrailStep[] = [{ step: 'checklist', detail: `${checklist.standard}; table ${label}` }];
  const byCategory = new Map<string, ScoredFinding[]>();
  const bodyPerItem = new Map<string, number>();
  const seenPassFail = new Set<string>();
  inspection.findings.forEach((f, i) => {
    const at = itemIndex.get(f.item);
    if (!at) {
      errors.push({ field: `findings.${i}.item`, message: `unknown checklist item "${f.item}"` });
      return;
    }
    const { category, item } = at;
    let deduction = 0;
    if (category.kind === 'body-defects') {
      if (!f.defect || !checklist.bodyDefects.codes[f.defect]) {
        errors.push({
          field: `findings.${i}.defect`,
          message: `a body finding needs a defect code: ${Object.keys(checklist.bodyDefects.codes).join(', ')}`,
        });
        return;
      }
      const sev = f.severity === undefined ? undefined : checklist.bodyDefects.severity[String(f.severity)];
      if (!sev) {
        errors.push({ field: `findings.${i}.severity`, message: 'a body finding needs a severity 1–4' });
        return;
      }
      // Deductions on one panel add up, but no panel costs more than maxPerItem points.
      const before = bodyPerItem.get(item.code) ?? 0;
      const after = Math.min(checklist.bodyDefects.maxPerItem, before + sev.deduct);
      bodyPerItem.set(item.code, after);
      deduction = after - before;
    } else {
      if (f.defect || f.severity) {
        errors.push({
          field: `findings.${i}`,
          message: `${f.item} is a pass/fail item: give result fail or minor, not a defect code`,
        });
        return;
      }
      if (seenPassFail.has(item.code)) {
        errors.push({ field: `findings.${i}.item`, message: `${f.item} is already recorded` });
        return;
      }
      seenPassFail.add(item.code);
      const result = f.result ?? 'fail';
      deduction = (item.deduct ?? 0) * (result === 'minor' ? checklist.minorShare : 1);
    }
    const scored: ScoredFinding = { item: item.code, zh: item.zh, en: item.en, deduction: round2(deduction) };
    if (f.defect) scored.defect = f.defect;
    if (f.severity) scored.severity = f.severity;
    if (category.kind === 'pass-fail') scored.result = f.result ?? 'fail';
    if (f.note) scored.note = f.note;
    const list = byCategory.get(category.code) ?? [];
    list.push(scored);
    byCategory.set(category.code, list);
  });

  const positions = new Map(checklist.structure.positions.map((p) => [p.code, p]));
  const structuralReasons: string[] = [];
  inspection.structural.forEach((s, i) => {
    const position = positions.get(s.position);
    const defect = checklist.structure.defects[s.defect];
    if (!position)
      errors.push({
        field: `structural.${i}.position`,
        message: `unknown body-structure position "${s.position}"`,
      });
    if (!defect)
      errors.push({
        field: `structural.${i}.defect`,
        message: `unknown structural defect "${s.defect}": ${Object.keys(checklist.structure.defects).join(', ')}`,
      });
    if (position && defect)
      structuralReasons.push(`${position.zh} ${position.en}: ${defect.zh} ${defect.en}`);
  });
  const floodCodes = new Set(checklist.flood.items.map((f) => f.code));
  const floodItems = new Set<string>();
  inspection.flood?.items.forEach((code, i) => {
    if (!floodCodes.has(code))
      errors.push({ field: `flood.items.${i}`, message: `unknown flood-line item "${code}"` });
    else floodItems.add(code);
  });
  if (errors.length > 0)
    throw invalid('invalid_inspection', `${errors.length} problem(s) in the inspection`, errors);

  const categories: CategoryScore[] = checklist.categories.map((category) => {
    const findings = byCategory.get(category.code) ?? [];
    const deductions = round2(findings.reduce((s, f) => s + f.deduction, 0));
    const score = round2(Math.max(0, category.points - deductions));
    for (const f of findings) {
      trail.push({
        step: `${category.code}: ${f.item}`,
        detail: `${f.zh} ${f.en}${f.defect ? ` — ${f.defect} ${checklist.bodyDefects.codes[f.defect]!.zh}, severity ${f.severity}` : ` — ${f.result}`}: −${f.deduction}`,
        value: -f.deduction,
      });
    }
    trail.push({
      step: `${category.code} score`,
      detail: `${category.zh} ${category.en}: ${category.points} − ${deductions} = ${score}${deductions > category.points ? ' (floor 0)' : ''}`,
      value: score,
    });
    return {
      code: category.code,
      zh: category.zh,
      en: category.en,
      points: category.points,
      deductions,
      score,
      findings,
    };
  });
  const total = round2(categories.reduce((s, c) => s + c.score, 0));
  trail.push({
    step: 'total',
    detail: `鉴定总分 = ${categories.map((c) => c.score).join(' + ')} = ${total}`,
    value: total,
  });

  const flood =
    floodItems.size >= checklist.flood.minItems ||
    Boolean(inspection.flood?.waterInCabin) ||
    Boolean(inspection.flood?.waterAboveHalfBodyHeight);
  const burnt = inspection.fire?.burntAreaM2 ?? 0;
  const fire = burnt > checklist.fire.minAreaM2 && Boolean(inspection.fire?.residualHazard);
  const flags: AppraisalFlags = {
    accident: structuralReasons.length > 0,
    flood,
    fire,
    fireDamage: burnt > 0 && !fire,
  };
  const reasons: string[] = [];
  if (flags.accident) reasons.push(`事故车 accident car: ${structuralReasons.join('; ')}`);
  if (flood) {
    const why = [
      floodItems.size >= checklist.flood.minItems
        ? `${floodItems.size} flood-line items (${[...floodItems].join(', ')}) ≥ ${checklist.flood.minItems}`
        : '',
      inspection.flood?.waterInCabin ? 'water in the cabin' : '',
      inspection.flood?.waterAboveHalfBodyHeight ? 'soaked above half the body height' : '',
    ].filter(Boolean);
    reasons.push(`泡水车 flood car: ${why.join('; ')} (${checklist.flood.rule})`);
  }
  if (fire)
    reasons.push(
      `火烧车 fire car: burnt ${burnt} m² > ${checklist.fire.minAreaM2} m² with residual hazard (${checklist.fire.rule})`,
    );
  if (flags.fireDamage) reasons.push(`fire damage recorded: ${burnt} m², below the fire-car rule`);
  for (const r of reasons) trail.push({ step: 'flag', detail: r });

  const overriding = flags.accident || (checklist.floodOrFireMakesAccident && (flood || fire));
  let grade: Appraisal['grade'];
  let gradeLabel: string;
  if (overriding) {
    grade = 5;
    gradeLabel = checklist.accidentGrade.zh;
    trail.push({ step: 'grade', detail: `${gradeLabel}: ${checklist.accidentGrade.rule}`, value: 5 });
  } else {
    const g = [...checklist.grades].sort((a, b) => b.minScore - a.minScore).find((x) => total >= x.minScore)!;
    grade = g.grade as Appraisal['grade'];
    gradeLabel = g.zh;
    trail.push({ step: 'grade', detail: `${gradeLabel}: total ${total} ≥ ${g.minScore}`, value: grade });
  }
  return {
    checklist: label,
    standard: checklist.standard,
    categories,
    total,
    grade,
    gradeLabel,
    flags,
    reasons,
    trail,
  };
}
