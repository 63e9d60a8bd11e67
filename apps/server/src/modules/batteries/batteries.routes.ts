import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, newRouter, submitterOf } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { passportPublicPaths, passportsRouter } from '../passports/passports.routes.ts';
import {
  deployInput,
  gradeInput,
  gradingRuleSet,
  handOverInput,
  healthInput,
  produceInput,
  recoverInput,
  recycleInput,
  repurposeInput,
  retireInput,
  sohTestInput,
} from './batteries.schemas.ts';
import * as batteries from './batteries.service.ts';

export { passportPublicPaths };

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const result = (name: string) => z.looseObject({}).openapi(name);
const codeParam = z.object({
  code: z.string().openapi({ param: { name: 'code', in: 'path' }, description: 'GB/T 34014 battery code' }),
});

/** One POST on a battery: body validated by `body`, answered 201 with the service's result. */
function batteryStep<B extends z.ZodType>(
  path: string,
  summary: string,
  body: B,
  name: string,
  description?: string,
) {
  return createRoute({
    method: 'post',
    path: `/batteries/{code}/${path}`,
    tags: ['batteries'],
    summary,
    ...(description ? { description } : {}),
    security: bearerSecurity,
    request: { params: codeParam, body: { ...json(body), required: true } },
    responses: {
      201: { description: 'recorded (and appended to the ledger)', ...json(result(name)) },
      ...problemResponses,
    },
  });
}

export const batteriesRouter = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/batteries/{code}',
      tags: ['batteries'],
      summary: 'A battery’s second-life dossier: tests, grades, cascade links, deployment, recycling, lots',
      security: bearerSecurity,
      request: { params: codeParam },
      responses: {
        200: { description: 'the dossier', ...json(result('BatteryDossier')) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(await batteries.batteryDossier(c.get('db'), c.get('principal'), c.req.valid('param').code), 200),
  )
  .openapi(
    batteryStep(
      'soh-tests',
      'Record an SOH test: capacity or energy measured vs rated, resistance, method, standard, tester, safety findings',
      sohTestInput,
      'SohTest',
      'SOH = measured / rated × 100 (capacity in Ah when both are given, else energy in kWh against the registered rating). Appends battery.soh_tested.',
    ),
    async (c) =>
      c.json(
        await batteries.recordSohTest(
          c.get('db'),
          submitterOf(c),
          c.req.valid('param').code,
          c.req.valid('json'),
        ),
        201,
      ),
  )
  .openapi(
    batteryStep(
      'grades',
      'Grade the latest SOH test by the rules: reuse in a vehicle, stationary storage, low-power use, or recycle — with the reason',
      gradeInput,
      'Grade',
      'Rules are ordered; the first whose conditions hold wins (default rule set: GET /grading-rules). Appends battery.graded with the rule, rule-set version and reason.',
    ),
    async (c) =>
      c.json(
        await batteries.gradeBatteryByRules(
          c.get('db'),
          submitterOf(c),
          c.req.valid('param').code,
          c.req.valid('json'),
        ),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/grading-rules',
      tags: ['batteries'],
      summary: 'The versioned default grading rules and which second-life applications each route permits',
      security: bearerSecurity,
      responses: { 200: { description: 'the rule set', ...json(gradingRuleSet) } },
    }),
    (c) => c.json(batteries.gradingRules() as z.infer<typeof gradingRuleSet>, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/cascade-products',
      tags: ['batteries'],
      summary:
        'Repurpose graded packs/modules into a cascade-use product (梯次利用) with a new 19-character GB/T 34014 code',
      description:
        'Each original gets battery.repurposed; the product is registered and gets battery.produced (batteryStatus repurposed) and a new passport linked to the originals’. Refused: a 24-character code, a source already in another product, a source not graded or graded for recycling.',
      security: bearerSecurity,
      request: { body: { ...json(repurposeInput), required: true } },
      responses: {
        201: { description: 'the product', ...json(result('CascadeProduct')) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(await batteries.repurposeBatteries(c.get('db'), submitterOf(c), c.req.valid('json')), 201),
  )
  .openapi(
    batteryStep(
      'deployments',
      'Deploy a cascade product at a site (operator, use, commissioning date)',
      deployInput,
      'Deployment',
    ),
    async (c) =>
      c.json(
        await batteries.deployBattery(
          c.get('db'),
          submitterOf(c),
          c.req.valid('param').code,
          c.req.valid('json'),
        ),
        201,
      ),
  )
  .openapi(
    batteryStep(
      'health-readings',
      'A periodic health reading in service (SOH)',
      healthInput,
      'HealthReading',
    ),
    async (c) =>
      c.json(
        await batteries.reportHealth(
          c.get('db'),
          submitterOf(c),
          c.req.valid('param').code,
          c.req.valid('json'),
        ),
        201,
      ),
  )
  .openapi(
    batteryStep('retirement', 'Retire a battery from service (it becomes waste)', retireInput, 'Retirement'),
    async (c) =>
      c.json(
        await batteries.retireBattery(
          c.get('db'),
          submitterOf(c),
          c.req.valid('param').code,
          c.req.valid('json'),
        ),
        201,
      ),
  )
  .openapi(
    batteryStep(
      'hand-overs',
      'Hand the battery to another enterprise (purpose recycling = intake at a recycler)',
      handOverInput,
      'HandOver',
    ),
    async (c) =>
      c.json(
        await batteries.handOverBattery(
          c.get('db'),
          submitterOf(c),
          c.req.valid('param').code,
          c.req.valid('json'),
        ),
        201,
      ),
  )
  .openapi(
    batteryStep(
      'recycling',
      'Feed the battery into a recycling process (hydrometallurgical, pyrometallurgical, direct); its passport ends',
      recycleInput,
      'Recycling',
    ),
    async (c) =>
      c.json(
        await batteries.recycleBattery(
          c.get('db'),
          submitterOf(c),
          c.req.valid('param').code,
          c.req.valid('json'),
        ),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/recovered-lots',
      tags: ['batteries'],
      summary:
        'Record a recovered lot (black mass, or Li/Ni/Co/Mn/Cu/Al/graphite) from recycled batteries, with its origin',
      description:
        'The element mass is split over the source batteries by their expected content (kg/kWh by chemistry); a lot that would make a battery give more than it could contain is refused. The answer carries the mass balance against China 2024 and EU Annex XII targets.',
      security: bearerSecurity,
      request: { body: { ...json(recoverInput), required: true } },
      responses: {
        201: { description: 'the lot, its origin and the mass balance', ...json(result('RecoveredLot')) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await batteries.recoverLot(c.get('db'), submitterOf(c), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/recovered-lots/{lotId}',
      tags: ['batteries'],
      summary: 'A recovered lot and the batteries it came from',
      security: bearerSecurity,
      request: { params: z.object({ lotId: z.string().openapi({ param: { name: 'lotId', in: 'path' } }) }) },
      responses: {
        200: { description: 'the lot', ...json(result('RecoveredLotOrigin')) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(await batteries.lotOriginOf(c.get('db'), c.get('principal'), c.req.valid('param').lotId), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/mass-balance',
      tags: ['batteries'],
      summary:
        'Mass balance and recovery rates of recycled batteries (by codes or batch) against the targets in force on a date',
      security: bearerSecurity,
      request: {
        query: z.object({
          codes: z.string().optional().openapi({ description: 'comma-separated battery codes' }),
          batchId: z.string().optional(),
          at: z.string().optional().openapi({ description: 'YYYY-MM-DD; default: the recycling date' }),
        }),
      },
      responses: { 200: { description: 'the balance', ...json(result('MassBalance')) }, ...problemResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(
        await batteries.massBalance(c.get('db'), c.get('principal'), {
          ...(q.codes ? { codes: q.codes.split(',').filter(Boolean) } : {}),
          ...(q.batchId ? { batchId: q.batchId } : {}),
          ...(q.at ? { at: q.at } : {}),
        }),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/batteries',
      tags: ['batteries'],
      summary:
        'Produce a new battery, optionally from recovered lots (its recycled content is computed from them)',
      security: bearerSecurity,
      request: { body: { ...json(produceInput), required: true } },
      responses: {
        201: { description: 'the battery’s recycled content', ...json(result('RecycledContent')) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(await batteries.produceBattery(c.get('db'), submitterOf(c), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/batteries/{code}/recycled-content',
      tags: ['batteries'],
      summary:
        'Recycled content (Reg. (EU) 2023/1542 Art. 8) of a battery, from the recovered lots it used, traced to their origin',
      security: bearerSecurity,
      request: { params: codeParam },
      responses: {
        200: { description: 'shares per material', ...json(result('RecycledContent')) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(
        await batteries.recycledContent(c.get('db'), c.get('principal'), c.req.valid('param').code),
        200,
      ),
  );

batteriesRouter.route('/', passportsRouter);
