/** The disposition decision as a printable document for the manager who signs it off. */
import { currencyExponent, formatMajorUnits } from '../../shared/money.ts';
import { type DocumentSpec, renderPdf } from '../../shared/pdf.ts';
import type { decideVehicle } from './remarketing.disposition.ts';

type DecisionView = Awaited<ReturnType<typeof decideVehicle>>;

const money = (amount: number, currency: string) =>
  `${formatMajorUnits(Math.round(amount * 10 ** currencyExponent(currency)), currency)} ${currency}`;

const routeNames = {
  retail: { en: 'Retail', zh: '零售' },
  wholesale: { en: 'Wholesale / auction', zh: '批发/拍卖' },
  dismantle: { en: 'Dismantle', zh: '拆解' },
} as const;

// The PDF's Latin font has no arrow or minus sign: write them as ASCII.
const plain = (text: string) => text.replaceAll('→', '->').replaceAll('−', '-');

export function decisionDocument(d: DecisionView): DocumentSpec {
  const c = d.currency;
  return {
    title: { en: 'Disposition decision', zh: '二手车处置决策' },
    subtitle: `${d.vin} · ${d.decidedAt.slice(0, 10)} · ${d.decisionId} · ${d.tablesVersion}`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          { label: { en: 'Chosen route', zh: '推荐处置' }, value: routeNames[d.chosen].en },
          { label: { en: 'Committed', zh: '已确认' }, value: d.committed ? `yes: ${d.route}` : 'no' },
          { label: { en: 'Days in stock', zh: '库存天数' }, value: String(d.facts.daysInStock) },
          { label: { en: 'Odometer', zh: '里程' }, value: `${d.facts.odometerKm} km` },
          { label: { en: 'Use class', zh: '使用性质' }, value: d.facts.useClass },
        ],
      },
      {
        kind: 'table',
        columns: [
          { en: 'Route', zh: '处置方式' },
          { en: 'Expected net', zh: '预期净值' },
          { en: 'Allowed', zh: '是否允许' },
        ],
        align: ['left', 'right', 'left'],
        rows: d.routes.map((r) => [
          routeNames[r.route].en,
          money(r.expectedNet, c),
          r.allowed ? 'yes' : `blocked: ${r.blockedBy.join(', ')}`,
        ]),
      },
      { kind: 'heading', text: { en: 'Why', zh: '决策理由' } },
      ...d.reasons.map((text) => ({ kind: 'paragraph' as const, text: { en: `• ${plain(text)}` } })),
      ...d.routes.flatMap((r) => [
        { kind: 'heading' as const, text: routeNames[r.route] },
        {
          kind: 'table' as const,
          columns: [
            { en: 'Item', zh: '项目' },
            { en: 'Amount', zh: '金额' },
          ],
          align: ['left', 'right'] as Array<'left' | 'right'>,
          rows: [
            ...r.breakdown.map((l) => [plain(l.item), money(l.amount, c)]),
            ['Expected net', money(r.expectedNet, c)],
          ],
        },
      ]),
    ],
    footer: `Prices and costs: ${d.tables.join(', ')}. Amounts in ${c}; revenues positive, costs negative.`,
  };
}

export const decisionPdf = (d: DecisionView) => renderPdf(decisionDocument(d));
