import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, newRouter, submitterOf } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { page, pageOf, pageQuery } from '../../http/pagination.ts';
import {
  backtestRequest,
  fitRequest,
  forecastRequest,
  inspection,
  modelVersionParam,
  remarkRequest,
  valuationIdParam,
  valueRequest,
} from './valuation.schemas.ts';
import * as valuation from './valuation.service.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { ...json(schema), required: true } });
const document = (name: string, description: string) => z.looseObject({}).openapi(name, { description });

const appraisalView = document(
  'Appraisal',
  'score per category, total, grade 1–5 (五级 = accident car), flags, reasons, trail; `id` of the stored record',
);
const valuationView = document(
  'Valuation',
  'every method (learned, 现行市价法, 重置成本法) with its value, adjustments, weight and trail; final P10/P50/P90; explanation; stored `id`',
);
const forecastView = document(
  'Forecast',
  'p10, p50, p90, currency, atDate, horizonYears, modelVersion, residualRate, trail',
);
const remarkView = document(
  'Remark',
  'each vehicle’s P10/P50/P90 or the reason it was refused, and the portfolio totals',
);
const backtestView = document(
  'Backtest',
  'n, mape, mdape, bias, coverage80, by segment and by fuel, rejected rows',
);
const modelView = z
  .looseObject({ modelVersion: z.string(), currency: z.string(), active: z.boolean() })
  .openapi('ValuationModel', {
    description: 'a registered model: training summary and metrics (the trees stay in the registry)',
  });
const recordView = z.looseObject({ id: z.string(), kind: z.string() }).openapi('ValuationRecord', {
  description: 'a stored appraisal, valuation, forecast or re-mark: inputs, model version, result',
});

export const valuationRouter = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/valuation/appraisals',
      tags: ['valuation'],
      summary: 'Score a GB/T 30323-2013 technical-condition inspection',
      security: bearerSecurity,
      request: body(inspection),
      responses: { 201: { description: 'scored and stored', ...json(appraisalView) }, ...problemResponses },
    }),
    async (c) => c.json(await valuation.appraise(c.get('db'), c.get('principal'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/valuation/valuations',
      tags: ['valuation'],
      summary: 'Value a vehicle: learned model, market comparison and replacement cost, reconciled',
      description:
        'Refused (400 no_comparable_data) when no method applies — e.g. an unknown model with no comparable data, no comparable sales and no new price. With `recordEvent`, a vehicle.appraised event is appended to the ledger in the same transaction.',
      security: bearerSecurity,
      request: body(valueRequest),
      responses: { 201: { description: 'valued and stored', ...json(valuationView) }, ...problemResponses },
    }),
    async (c) => {
      const { principal, keyId } = submitterOf(c);
      return c.json(
        await valuation.valueVehicle(c.get('db'), principal, c.req.valid('json'), {
          submitter: { principal, keyId },
        }),
        201,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/valuation/valuations',
      tags: ['valuation'],
      summary: 'Stored appraisals, valuations, forecasts and re-marks',
      security: bearerSecurity,
      request: {
        query: pageQuery.extend({
          kind: z.enum(['appraisal', 'valuation', 'forecast', 'remark']).optional(),
          vehicleId: z.string().optional(),
        }),
      },
      responses: {
        200: { description: 'a page of records', ...json(pageOf(recordView)) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(page(await valuation.listValuations(c.get('db'), c.get('principal'), q), q.limit), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/valuation/valuations/{id}',
      tags: ['valuation'],
      summary: 'One stored record with its inputs, model version and result',
      security: bearerSecurity,
      request: { params: valuationIdParam },
      responses: { 200: { description: 'the record', ...json(recordView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(await valuation.getValuation(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/valuation/forecasts',
      tags: ['valuation'],
      summary: 'Value distribution at a future date and odometer (e.g. the end of a buyback term)',
      description:
        'Refused with 409 no_valuation_model (and the command that fits one) when no model is active for the currency.',
      security: bearerSecurity,
      request: body(forecastRequest),
      responses: { 201: { description: 'forecast and stored', ...json(forecastView) }, ...problemResponses },
    }),
    async (c) => c.json(await valuation.forecast(c.get('db'), c.get('principal'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/valuation/remarks',
      tags: ['valuation'],
      summary: 'Re-mark a portfolio of vehicles at a date',
      security: bearerSecurity,
      request: body(remarkRequest),
      responses: { 201: { description: 're-marked and stored', ...json(remarkView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(await valuation.remarkPortfolio(c.get('db'), c.get('principal'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/valuation/backtests',
      tags: ['valuation'],
      summary: 'Fit on one part of the given transactions and measure on the other',
      description:
        'Synchronous and bounded by the 1 MiB body: for large files use `carloop valuation backtest`.',
      security: bearerSecurity,
      request: body(backtestRequest),
      responses: { 200: { description: 'the backtest', ...json(backtestView) }, ...problemResponses },
    }),
    async (c) => c.json(valuation.backtest(c.get('principal'), c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/valuation/models',
      tags: ['valuation'],
      summary: 'The model registry',
      security: bearerSecurity,
      request: { query: pageQuery },
      responses: {
        200: { description: 'a page of models', ...json(pageOf(modelView)) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await valuation.listModels(c.get('db'), c.get('principal'), q);
      return c.json(
        { items, next: items.length === q.limit ? items[items.length - 1]!.modelVersion : null },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/valuation/models',
      tags: ['valuation'],
      summary: 'Fit a model from transactions in the body and register it (admin)',
      security: bearerSecurity,
      request: body(fitRequest),
      responses: {
        201: { description: 'fitted and registered', ...json(z.looseObject({ model: modelView })) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { model, rows, used, rejected } = await valuation.fitAndRegister(
        c.get('db'),
        c.get('principal'),
        c.req.valid('json'),
      );
      return c.json({ model, rows, used, rejected }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/valuation/models/{modelVersion}',
      tags: ['valuation'],
      summary: 'One registered model: training summary and metrics',
      security: bearerSecurity,
      request: { params: modelVersionParam },
      responses: { 200: { description: 'the model', ...json(modelView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await valuation.getModelSummary(c.get('db'), c.get('principal'), c.req.valid('param').modelVersion),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/valuation/models/{modelVersion}/activate',
      tags: ['valuation'],
      summary: 'Make a model the active one of its currency (admin)',
      security: bearerSecurity,
      request: { params: modelVersionParam },
      responses: { 200: { description: 'activated', ...json(modelView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await valuation.activateModel(c.get('db'), c.get('principal'), c.req.valid('param').modelVersion),
        200,
      ),
  );
