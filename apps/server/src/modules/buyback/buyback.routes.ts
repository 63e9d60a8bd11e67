import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, newRouter, submitterOf } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { settleAndStock } from '../../workflows/settle-and-stock.ts';
import { builtInProducts, returnConditionsByRef } from './buyback.config.ts';
import { quotePdf, statementPdf } from './buyback.documents.ts';
import {
  contractMarks,
  getRemark,
  portfolioExposure,
  remarkHistory,
  remarkPortfolio,
} from './buyback.portfolio.ts';
import {
  cancelRequest,
  contractQuery,
  contractRequest,
  contractView,
  declineRequest,
  expireRequest,
  portfolioQuery,
  quoteRequest,
  quoteView,
  remarkRequest,
  settleRequest,
  statementView,
  stressScenario,
} from './buyback.schemas.ts';
import {
  cancelContract,
  declineBuyback,
  expireContracts,
  getContract,
  getQuote,
  issueContract,
  listContracts,
  quoteGuarantee,
} from './buyback.service.ts';
import { getStatement } from './buyback.settlement.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const pdf = { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } };
const loose = (name: string) => z.looseObject({}).openapi(name);
const idParam = (name: string, description: string) =>
  z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, description, example: name }) });
const quoteId = idParam('BQ-20260101-0123456789', 'quote id');
const contractId = idParam('BB-20260101-0123456789', 'contract id');
const remarkId = idParam('RM-20260101-0123456789', 're-mark id');
const tags = ['buyback'];
const pdfResponse = (bytes: Buffer, name: string) =>
  new Response(new Uint8Array(bytes), {
    status: 200,
    headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${name}.pdf"` },
  });

export const buybackRouter = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/buyback/quotes',
      tags,
      summary:
        'Quote a guaranteed future value: term-end forecast, GFV, expected cost, the buyer’s monthly cost',
      security: bearerSecurity,
      request: { body: { ...json(quoteRequest), required: true } },
      responses: { 201: { description: 'the quote', ...json(quoteView) }, ...problemResponses },
    }),
    async (c) => c.json(await quoteGuarantee(c.get('db'), c.get('principal'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/quotes/{id}',
      tags,
      summary: 'One quote',
      security: bearerSecurity,
      request: { params: quoteId },
      responses: { 200: { description: 'the quote', ...json(quoteView) }, ...problemResponses },
    }),
    async (c) => c.json(await getQuote(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/quotes/{id}/pdf',
      tags,
      summary: 'The printable quote (PDF, 中文/English)',
      security: bearerSecurity,
      request: { params: quoteId },
      responses: { 200: { description: 'PDF', ...pdf }, ...problemResponses },
    }),
    async (c) => {
      const quote = await getQuote(c.get('db'), c.get('principal'), c.req.valid('param').id);
      return pdfResponse(await quotePdf(quote), quote.quoteId) as never;
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/buyback/contracts',
      tags,
      summary: 'Issue a contract from a quote at the sale (vehicle.sold with the guarantee)',
      security: bearerSecurity,
      request: { body: { ...json(contractRequest), required: true } },
      responses: { 201: { description: 'the contract', ...json(contractView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await issueContract(c.get('db'), submitterOf(c), c.req.valid('json'), {
          ...(c.get('assetHooks').hooks ? { assetHooks: c.get('assetHooks').hooks } : {}),
        }),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/contracts',
      tags,
      summary: 'Contracts by state (active, window_open, exercised, declined, expired, cancelled) and VIN',
      security: bearerSecurity,
      request: { query: contractQuery },
      responses: {
        200: {
          description: 'a page of contracts',
          ...json(z.object({ items: z.array(contractView), next: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await listContracts(c.get('db'), c.get('principal'), q);
      return c.json({ items, next: items.length === q.limit ? items.at(-1)!.contractId : null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/contracts/{id}',
      tags,
      summary: 'One contract with its state history and current forecast',
      security: bearerSecurity,
      request: { params: contractId },
      responses: { 200: { description: 'the contract', ...json(contractView) }, ...problemResponses },
    }),
    async (c) => c.json(await getContract(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/buyback/contracts/{id}/settlement',
      tags,
      summary: 'Settle a returned car from its return inspection and take it into used-car stock',
      description:
        'statement total = max(0, GFV − excess-distance charge − damage recharges − missing items); a ledger event ' +
        '(vehicle.buyback_exercised, or vehicle.buyback_declined part_exchanged for a trade-in) and vehicle.stocked.',
      security: bearerSecurity,
      request: { params: contractId, body: { ...json(settleRequest), required: true } },
      responses: { 201: { description: 'the statement', ...json(statementView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await settleAndStock(c.get('db'), submitterOf(c), c.req.valid('param').id, c.req.valid('json')),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/contracts/{id}/statement',
      tags,
      summary: 'The settlement statement (JSON)',
      security: bearerSecurity,
      request: { params: contractId },
      responses: { 200: { description: 'the statement', ...json(statementView) }, ...problemResponses },
    }),
    async (c) => c.json(await getStatement(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/contracts/{id}/statement/pdf',
      tags,
      summary: 'The settlement statement (PDF, 中文/English)',
      security: bearerSecurity,
      request: { params: contractId },
      responses: { 200: { description: 'PDF', ...pdf }, ...problemResponses },
    }),
    async (c) => {
      const statement = await getStatement(c.get('db'), c.get('principal'), c.req.valid('param').id);
      return pdfResponse(await statementPdf(statement), `statement-${statement.contractId}`) as never;
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/buyback/contracts/{id}/decline',
      tags,
      summary: 'The customer keeps the car in the exercise window',
      security: bearerSecurity,
      request: { params: contractId, body: { ...json(declineRequest), required: true } },
      responses: { 200: { description: 'the contract', ...json(contractView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await declineBuyback(c.get('db'), submitterOf(c), c.req.valid('param').id, c.req.valid('json')),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/buyback/contracts/{id}/cancel',
      tags,
      summary: 'Void a contract before its end (accident exclusion, reversed sale, customer request)',
      security: bearerSecurity,
      request: { params: contractId, body: { ...json(cancelRequest), required: true } },
      responses: { 200: { description: 'the contract', ...json(contractView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await cancelContract(c.get('db'), submitterOf(c), c.req.valid('param').id, c.req.valid('json')),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/buyback/expiry',
      tags,
      summary: 'Record the expiry of every contract whose exercise window closed unused',
      security: bearerSecurity,
      request: { body: { ...json(expireRequest), required: false } },
      responses: {
        200: {
          description: 'expired and refused contracts',
          ...json(
            z.object({
              at: z.string(),
              expired: z.array(z.string()),
              failed: z.array(z.object({ contractId: z.string(), reason: z.string() })),
            }),
          ),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {};
      return c.json(await expireContracts(c.get('db'), submitterOf(c), body), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/portfolio',
      tags,
      summary: 'Exposure of the open book by cohort (model, powertrain, term-end month)',
      security: bearerSecurity,
      request: { query: portfolioQuery },
      responses: {
        200: { description: 'exposure', ...json(loose('BuybackPortfolio')) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await portfolioExposure(c.get('db'), c.get('principal'), c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/buyback/portfolio/stress',
      tags,
      summary: 'Exposure under a stress scenario (new-price cut on a model, EV residual shock, higher fade)',
      security: bearerSecurity,
      request: { query: portfolioQuery, body: { ...json(stressScenario), required: true } },
      responses: {
        200: { description: 'exposure, base and stressed', ...json(loose('BuybackStressedPortfolio')) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(
        await portfolioExposure(c.get('db'), c.get('principal'), {
          ...c.req.valid('query'),
          scenario: c.req.valid('json'),
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/buyback/remarks',
      tags,
      summary: 'Re-mark the open book with the active valuation model',
      security: bearerSecurity,
      request: { body: { ...json(remarkRequest), required: false } },
      responses: { 201: { description: 'the run', ...json(loose('BuybackRemark')) }, ...problemResponses },
    }),
    async (c) => {
      const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {};
      return c.json(await remarkPortfolio(c.get('db'), c.get('principal'), body), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/remarks',
      tags,
      summary: 'History of re-marks, newest first',
      security: bearerSecurity,
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          before: z.string().optional(),
        }),
      },
      responses: {
        200: { description: 'runs', ...json(z.array(loose('BuybackRemarkRun'))) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await remarkHistory(c.get('db'), c.get('principal'), c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/remarks/{id}',
      tags,
      summary: 'One re-mark with every contract’s mark',
      security: bearerSecurity,
      request: { params: remarkId },
      responses: {
        200: { description: 'the run', ...json(loose('BuybackRemarkDetail')) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getRemark(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/contracts/{id}/marks',
      tags,
      summary: 'A contract’s forecast over time: the quote’s, then every re-mark',
      security: bearerSecurity,
      request: { params: contractId },
      responses: {
        200: { description: 'marks', ...json(loose('BuybackContractMarks')) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await contractMarks(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/products',
      tags,
      summary: 'The built-in buyback products (quantile, margin, terms, bands, excess tiers)',
      security: bearerSecurity,
      responses: {
        200: { description: 'products', ...json(z.array(loose('BuybackProduct'))) },
        ...problemResponses,
      },
    }),
    (c) => c.json(builtInProducts(), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/buyback/return-conditions/{id}',
      tags,
      summary: 'Return conditions as data (fair wear and tear, missing items, accident exclusion)',
      security: bearerSecurity,
      request: { params: idParam('fair-wear-and-tear@1', 'table@version') },
      responses: {
        200: { description: 'the conditions', ...json(loose('BuybackReturnConditions')) },
        ...problemResponses,
      },
    }),
    (c) => c.json(returnConditionsByRef(c.req.valid('param').id, 'id'), 200),
  );
