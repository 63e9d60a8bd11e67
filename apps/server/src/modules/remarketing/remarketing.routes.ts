import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, newRouter, submitterOf } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { appraiseStockVehicle } from './remarketing.appraisal.ts';
import { decideVehicle } from './remarketing.disposition.ts';
import {
  cancelWorkOrder,
  completeWorkOrder,
  listWorkOrders,
  openWorkOrder,
  reconditioningPlan,
} from './remarketing.reconditioning.ts';
import {
  delistVehicle,
  listVehicle,
  priceTables,
  priceVehicle,
  realisedSales,
  releaseReservation,
  reserveVehicle,
  salesCsv,
  sellVehicle,
} from './remarketing.sales.ts';
import {
  anyObject,
  appraiseInput,
  completeInput,
  decideInput,
  decisionView,
  delistInput,
  disclosureInput,
  documentsInput,
  intakeInput,
  listInput,
  priceInput,
  releaseInput,
  reserveInput,
  sellInput,
  stockItemView,
  stockStates,
  workOrderInput,
} from './remarketing.schemas.ts';
import {
  getStockItem,
  intakeVehicle,
  listStock,
  recordDisclosure,
  stockAgeing,
  updateDocuments,
} from './remarketing.stock.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { ...json(schema), required: true } });
const vinParam = z.object({
  vin: z.string().openapi({ param: { name: 'vin', in: 'path' }, description: 'VIN' }),
});
const idParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, description: 'work order id' }),
});
const tags = ['remarketing'];

export const remarketingRouter = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/stock',
      tags,
      summary: 'Take a car into used-car stock (trade-in, purchase, or a buyback car not yet stocked)',
      security: bearerSecurity,
      request: body(intakeInput),
      responses: {
        201: { description: 'in stock, with its history', ...json(stockItemView) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(
        await intakeVehicle(c.get('db'), submitterOf(c), c.req.valid('json'), {
          assetHooks: c.get('assetHooks').hooks,
        }),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/remarketing/stock',
      tags,
      summary: 'The cars in used-car stock with their state',
      security: bearerSecurity,
      request: {
        query: z.object({
          state: z
            .enum([...stockStates, 'all'])
            .optional()
            .openapi({ description: 'default: every car still in stock' }),
        }),
      },
      responses: {
        200: { description: 'stock', ...json(z.object({ items: z.array(stockItemView) })) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(
        {
          items: await listStock(c.get('db'), c.get('principal'), {
            state: c.req.valid('query').state,
          }),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/remarketing/ageing',
      tags,
      summary: 'Stock ageing: cars by days in stock, asking prices after ageing, holding cost so far',
      security: bearerSecurity,
      request: { query: z.object({ asOf: z.string().optional() }) },
      responses: { 200: { description: 'ageing view', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) => {
      const asOf = c.req.valid('query').asOf;
      return c.json(await stockAgeing(c.get('db'), c.get('principal'), asOf ? { asOf } : {}), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/remarketing/stock/{vin}',
      tags,
      summary:
        'One stock car: state, history from the log, documents, appraisal, work orders, price, listing, sale',
      security: bearerSecurity,
      request: { params: vinParam },
      responses: { 200: { description: 'the stock car', ...json(stockItemView) }, ...problemResponses },
    }),
    async (c) => c.json(await getStockItem(c.get('db'), c.get('principal'), c.req.valid('param').vin), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/remarketing/stock/{vin}/documents',
      tags,
      summary: 'The papers and keys handed over with the car',
      security: bearerSecurity,
      request: { params: vinParam, ...body(documentsInput) },
      responses: { 200: { description: 'updated', ...json(stockItemView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await updateDocuments(c.get('db'), c.get('principal'), c.req.valid('param').vin, c.req.valid('json')),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/stock/{vin}/disclosures',
      tags,
      summary: 'Record that accident, flood or fire was disclosed to buyers',
      security: bearerSecurity,
      request: { params: vinParam, ...body(disclosureInput) },
      responses: { 200: { description: 'recorded', ...json(stockItemView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await recordDisclosure(
          c.get('db'),
          c.get('principal'),
          c.req.valid('param').vin,
          c.req.valid('json'),
        ),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/stock/{vin}/appraisals',
      tags,
      summary:
        'GB/T 30323 appraisal with accident/flood/fire and the EV battery health check; valued by the engine',
      security: bearerSecurity,
      request: { params: vinParam, ...body(appraiseInput) },
      responses: { 201: { description: 'appraised', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await appraiseStockVehicle(
          c.get('db'),
          submitterOf(c),
          c.req.valid('param').vin,
          c.req.valid('json'),
        ),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/remarketing/stock/{vin}/reconditioning-plan',
      tags,
      summary: 'The reconditioning plan that pays back',
      security: bearerSecurity,
      request: { params: vinParam },
      responses: { 200: { description: 'the plan', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) =>
      c.json(await reconditioningPlan(c.get('db'), c.get('principal'), c.req.valid('param').vin), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/stock/{vin}/work-orders',
      tags,
      summary: 'Open a reconditioning work order (items, or the recommended plan)',
      security: bearerSecurity,
      request: { params: vinParam, ...body(workOrderInput) },
      responses: { 201: { description: 'opened', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await openWorkOrder(c.get('db'), c.get('principal'), c.req.valid('param').vin, c.req.valid('json')),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/remarketing/stock/{vin}/work-orders',
      tags,
      summary: 'The work orders of the car’s current stay',
      security: bearerSecurity,
      request: { params: vinParam },
      responses: {
        200: { description: 'work orders', ...json(z.object({ items: z.array(anyObject) })) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json({ items: await listWorkOrders(c.get('db'), c.get('principal'), c.req.valid('param').vin) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/work-orders/{id}/complete',
      tags,
      summary: 'Complete a work order (vehicle.reconditioned)',
      security: bearerSecurity,
      request: { params: idParam, ...body(completeInput) },
      responses: { 200: { description: 'completed', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await completeWorkOrder(c.get('db'), submitterOf(c), c.req.valid('param').id, c.req.valid('json')),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/work-orders/{id}/cancel',
      tags,
      summary: 'Cancel an open work order',
      security: bearerSecurity,
      request: { params: idParam, ...body(z.object({ note: z.string().max(500).optional() })) },
      responses: { 200: { description: 'cancelled', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await cancelWorkOrder(
          c.get('db'),
          c.get('principal'),
          c.req.valid('param').id,
          c.req.valid('json').note,
        ),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/stock/{vin}/price',
      tags,
      summary: 'Price the car: retail and wholesale from the valuation engine, asking price after ageing',
      security: bearerSecurity,
      request: { params: vinParam, ...body(priceInput) },
      responses: { 200: { description: 'priced', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await priceVehicle(c.get('db'), c.get('principal'), c.req.valid('param').vin, c.req.valid('json')),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/stock/{vin}/listing',
      tags,
      summary: 'List the car for sale (or re-price a listed car)',
      security: bearerSecurity,
      request: { params: vinParam, ...body(listInput) },
      responses: { 200: { description: 'listed', ...json(stockItemView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await listVehicle(c.get('db'), submitterOf(c), c.req.valid('param').vin, c.req.valid('json')),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/stock/{vin}/delisting',
      tags,
      summary: 'Withdraw the car from sale',
      security: bearerSecurity,
      request: { params: vinParam, ...body(delistInput) },
      responses: { 200: { description: 'delisted', ...json(stockItemView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await delistVehicle(c.get('db'), submitterOf(c), c.req.valid('param').vin, c.req.valid('json')),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/stock/{vin}/reservation',
      tags,
      summary: 'Reserve the car for one buyer until a date',
      security: bearerSecurity,
      request: { params: vinParam, ...body(reserveInput) },
      responses: { 200: { description: 'reserved', ...json(stockItemView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await reserveVehicle(c.get('db'), submitterOf(c), c.req.valid('param').vin, c.req.valid('json')),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/stock/{vin}/reservation/release',
      tags,
      summary: 'Release the car’s reservation',
      security: bearerSecurity,
      request: { params: vinParam, ...body(releaseInput) },
      responses: { 200: { description: 'released', ...json(stockItemView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await releaseReservation(c.get('db'), submitterOf(c), c.req.valid('param').vin, c.req.valid('json')),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/stock/{vin}/sale',
      tags,
      summary:
        'Sell the car at retail or to the trade (ledger event with the realised price; valuation training row)',
      security: bearerSecurity,
      request: { params: vinParam, ...body(sellInput) },
      responses: { 201: { description: 'sold', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await sellVehicle(c.get('db'), submitterOf(c), c.req.valid('param').vin, c.req.valid('json')),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/remarketing/stock/{vin}/decision',
      tags,
      summary:
        'Disposition decision: retail vs wholesale vs dismantle, with breakdowns, legal gates and reasons',
      security: bearerSecurity,
      request: { params: vinParam, ...body(decideInput) },
      responses: { 200: { description: 'the decision', ...json(decisionView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await decideVehicle(c.get('db'), submitterOf(c), c.req.valid('param').vin, c.req.valid('json')),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/remarketing/sales',
      tags,
      summary:
        'Realised sales in the valuation transaction interchange format (training data for valuation fit)',
      security: bearerSecurity,
      request: {
        query: z.object({
          from: z.string().optional(),
          to: z.string().optional(),
          channel: z.enum(['retail', 'wholesale', 'all']).optional(),
          format: z.enum(['json', 'csv']).optional(),
        }),
      },
      responses: {
        200: {
          description: 'sales as JSON rows, or text/csv with format=csv',
          content: { 'application/json': { schema: anyObject }, 'text/csv': { schema: z.string() } },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const result = await realisedSales(c.get('db'), c.get('principal'), q);
      if (q.format === 'csv')
        return c.text(salesCsv(result.transactions), 200, { 'content-type': 'text/csv' });
      return c.json(result, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/remarketing/tables',
      tags,
      summary: 'The versioned price tables and legal gates of the disposition decision',
      security: bearerSecurity,
      responses: { 200: { description: 'tables', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) => c.json(priceTables(c.get('principal')), 200),
  );
