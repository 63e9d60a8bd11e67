import { z } from '@hono/zod-openapi';

const counts = z.object({ total: z.number(), byState: z.record(z.string(), z.number()) });

/** The loop report (loose below the top level: the sections are documented in the README). */
export const loopReportView = z
  .looseObject({
    generatedAt: z.string(),
    ledger: z.object({ size: z.number(), rootHash: z.string() }),
    vehicles: z.object({
      total: z.number(),
      byStage: z.record(z.string(), z.number()),
      byState: z.record(z.string(), z.number()),
    }),
    batteries: z.object({ packs: counts, modules: counts, cells: counts }),
    valueCaptured: z.looseObject({ currency: z.string() }),
    guaranteePerformance: z.looseObject({ contracts: z.number() }),
    recoveryRates: z.looseObject({}),
    avoidedEmissions: z.looseObject({ unit: z.string(), total: z.number() }),
  })
  .openapi('LoopReport');
