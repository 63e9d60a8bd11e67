/**
 * The printable documents of the buyback: the quote the buyer takes home and the settlement
 * statement, both bilingual (中文 / English), rendered by shared/pdf.ts.
 */
import { currencyExponent, formatMajorUnits } from '../../shared/money.ts';
import { type DocumentSpec, renderPdf } from '../../shared/pdf.ts';
import type { QuoteView } from './buyback.service.ts';
import type { StatementView } from './buyback.settlement.ts';

const money = (amount: number, currency: string) =>
  `${formatMajorUnits(Math.round(amount * 10 ** currencyExponent(currency)), currency)} ${currency}`;
const day = (iso: string) => iso.slice(0, 10);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function quoteDocument(q: QuoteView): DocumentSpec {
  const c = q.currency;
  const v = q.vehicle as Record<string, unknown>;
  return {
    title: { en: 'Guaranteed future value quote', zh: '保值回购报价单' },
    subtitle: `${q.quoteId} · ${day(q.quotedAt)} · valid until ${day(q.validUntil)} · product ${q.productId}@${q.productVersion}`,
    blocks: [
      { kind: 'heading', text: { en: 'Vehicle', zh: '车辆' } },
      {
        kind: 'fields',
        rows: [
          {
            label: { en: 'Make and model', zh: '品牌车型' },
            value: [v.make, v.model, v.trim].filter(Boolean).join(' '),
          },
          { label: { en: 'Model year', zh: '年款' }, value: String(v.year) },
          { label: { en: 'Fuel', zh: '能源类型' }, value: `${v.fuel} (${v.powertrain})` },
          { label: { en: 'New price', zh: '新车价格' }, value: money(q.newPrice, c) },
          ...(v.soh !== undefined
            ? [{ label: { en: 'Battery state of health', zh: '电池健康度' }, value: pct(Number(v.soh)) }]
            : []),
        ],
      },
      { kind: 'heading', text: { en: 'The guarantee', zh: '保值承诺' } },
      {
        kind: 'fields',
        rows: [
          { label: { en: 'Term', zh: '期限' }, value: `${q.termMonths} months, ending ${day(q.termEndAt)}` },
          {
            label: { en: 'Distance allowance', zh: '里程额度' },
            value: `${q.allowanceKm} km (${q.distanceBandKmPerYear} km/year)`,
          },
          {
            label: { en: 'Guaranteed future value (GFV)', zh: '保证回购价' },
            value: `${money(q.gfv, c)} (${pct(q.gfvPercent)} of the new price)`,
          },
          { label: { en: 'Guarantee fee', zh: '保值服务费' }, value: money(q.guaranteeFee, c) },
          {
            label: { en: 'Exercise window', zh: '行权期' },
            value: `${q.exerciseWindow.opensDaysBeforeTermEnd} days before to ${q.exerciseWindow.closesDaysAfterTermEnd} days after the term end`,
          },
        ],
      },
      { kind: 'heading', text: { en: 'Excess distance', zh: '超出里程费用' } },
      {
        kind: 'table',
        columns: [
          { en: 'Beyond the allowance', zh: '超出额度' },
          { en: 'Rate per km', zh: '每公里费率' },
        ],
        rows: q.excessRates.map((r, i, all) => [
          all[i + 1] ? `${r.fromKm}–${all[i + 1]!.fromKm} km` : `from ${r.fromKm} km`,
          `${r.ratePerKm} ${c}`,
        ]),
        align: ['left', 'right'],
      },
      { kind: 'heading', text: { en: 'Value forecast at term end', zh: '到期残值预测' } },
      {
        kind: 'table',
        columns: [{ en: 'P10' }, { en: 'P50 (median)', zh: '中位数' }, { en: 'P90' }],
        rows: [[money(q.forecast.p10, c), money(q.forecast.p50, c), money(q.forecast.p90, c)]],
        align: ['right', 'right', 'right'],
      },
      {
        kind: 'paragraph',
        text: {
          en: `Forecast by valuation model ${q.forecast.modelVersion ?? '(unnamed)'} at ${q.forecast.odometerKm} km. The chance that the car is worth less than the GFV at term end is ${pct(q.probabilityOfLoss)}.`,
          zh: `到期时车辆价值低于保证回购价的概率为 ${pct(q.probabilityOfLoss)}。`,
        },
      },
      { kind: 'heading', text: { en: 'Monthly cost of ownership', zh: '每月持有成本' } },
      {
        kind: 'table',
        columns: [
          { en: '', zh: '' },
          { en: 'Expected', zh: '预期' },
          { en: 'Bad case', zh: '不利情形' },
        ],
        rows: [
          [
            'Without guarantee 无保值',
            money(q.ownership.withoutGuarantee.monthly, c),
            `${money(q.ownership.withoutGuarantee.monthlyAtP10, c)} (P10)`,
          ],
          [
            'With guarantee 有保值',
            money(q.ownership.withGuarantee.monthly, c),
            `${money(q.ownership.withGuarantee.monthlyWorstCase, c)} (at most)`,
          ],
        ],
        align: ['left', 'right', 'right'],
      },
      {
        kind: 'paragraph',
        text: {
          en: 'Depreciation (and the guarantee fee) per month; energy, insurance and servicing are the same either way and not included.',
          zh: '仅含折旧（及保值服务费）；能源、保险、保养费用两种情形相同，未计入。',
        },
      },
      { kind: 'heading', text: { en: 'Return conditions', zh: '交还条件' } },
      {
        kind: 'paragraph',
        text: {
          en: `Fair wear and tear per ${q.returnConditions}; damage beyond it is charged at the cost of repair, not replacement. Missing keys, service history or charging cable are charged. The guarantee does not cover an accident car (GB/T 30323 grade 5, flood, fire, total loss).`,
          zh: `按 ${q.returnConditions} 执行合理损耗标准；超出部分按维修（非更换）费用扣除。缺失钥匙、保养记录、充电线等另行扣费。事故车（GB/T 30323 五级、泡水、火烧、全损）不适用保值回购。`,
        },
      },
      { kind: 'qr', data: `carloop:buyback-quote:${q.quoteId}`, caption: q.quoteId },
    ],
    footer: `Carloop · quote ${q.quoteId} · this quote is an offer; the contract is made at the sale.`,
  };
}

export function statementDocument(s: StatementView): DocumentSpec {
  const c = s.currency;
  const charges = [
    ...(s.excessCharge > 0
      ? [[`Excess distance ${s.excessKm} km 超出里程`, `-${money(s.excessCharge, c)}`]]
      : []),
    ...s.damageCharges.map((d) => [`Damage 损伤: ${d.item}`, `-${money(d.amount, c)}`]),
    ...s.missingItems.map((m) => [`Missing 缺失: ${m.item}`, `-${money(m.amount, c)}`]),
  ];
  return {
    title: { en: 'Buyback settlement statement', zh: '保值回购结算单' },
    subtitle: `contract ${s.contractId} · VIN ${s.vin} · settled ${day(s.settledAt)} · ${s.option === 'hand_back' ? 'hand-back 交还' : 'trade-in 置换'}`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          {
            label: { en: 'Odometer', zh: '表显里程' },
            value: `${s.odometerKm} km (at sale ${s.odometerAtSaleKm} km)`,
          },
          { label: { en: 'Allowance', zh: '里程额度' }, value: `${s.allowanceKm} km` },
          ...(s.appraisal
            ? [
                {
                  label: { en: 'GB/T 30323 condition', zh: '技术状况' },
                  value: `score ${s.appraisal.score}, grade ${s.appraisal.grade}`,
                },
              ]
            : []),
        ],
      },
      { kind: 'heading', text: { en: 'Statement', zh: '结算明细' } },
      {
        kind: 'table',
        columns: [
          { en: 'Item', zh: '项目' },
          { en: 'Amount', zh: '金额' },
        ],
        rows: [
          ['Guaranteed future value 保证回购价', money(s.gfv, c)],
          ...charges,
          ['Total 合计 (never below zero)', money(s.total, c)],
        ],
        align: ['left', 'right'],
      },
      ...(s.damageAssessment.some((d) => d.withinFairWearAndTear)
        ? [
            {
              kind: 'heading' as const,
              text: { en: 'Fair wear and tear (not charged)', zh: '合理损耗（不扣费）' },
            },
            {
              kind: 'table' as const,
              columns: [
                { en: 'Item', zh: '项目' },
                { en: 'Finding', zh: '结论' },
              ],
              rows: s.damageAssessment.filter((d) => d.withinFairWearAndTear).map((d) => [d.item, d.reason]),
            },
          ]
        : []),
      ...(s.equity
        ? [
            { kind: 'heading' as const, text: { en: 'Equity', zh: '权益' } },
            {
              kind: 'fields' as const,
              rows: [
                {
                  label: { en: 'Market value (P50)', zh: '市场价值' },
                  value: s.marketValue ? money(s.marketValue.p50, c) : '—',
                },
                { label: { en: 'Trade-in value', zh: '置换价值' }, value: money(s.equity.tradeInValue, c) },
                {
                  label: { en: 'Equity over the settlement', zh: '超出结算的权益' },
                  value: money(s.equity.amount, c),
                },
              ],
            },
          ]
        : s.marketValueNote
          ? [{ kind: 'paragraph' as const, text: { en: s.marketValueNote } }]
          : []),
      { kind: 'heading', text: { en: 'Paid to the customer', zh: '支付客户' } },
      { kind: 'fields', rows: [{ label: { en: 'Amount', zh: '金额' }, value: money(s.paid, c) }] },
      {
        kind: 'qr',
        data: `carloop:buyback-statement:${s.contractId}`,
        caption: Object.values(s.eventIds).join(' '),
      },
    ],
    footer: `Carloop · return conditions ${s.returnConditions} · settlement recorded in the lifecycle log (events ${Object.values(s.eventIds).join(', ')})`,
  };
}

export const quotePdf = (q: QuoteView) => renderPdf(quoteDocument(q));
export const statementPdf = (s: StatementView) => renderPdf(statementDocument(s));
