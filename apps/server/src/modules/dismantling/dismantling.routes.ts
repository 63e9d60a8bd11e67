import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type AppEnv, bearerSecurity, newRouter, submitterOf } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { invalid } from '../../shared/errors.ts';
import { certificateDocument, certificatePdf, partLabelPdf } from './dismantling.documents.ts';
import {
  dismantlingReport,
  euElvReport,
  euReportCsv,
  periodRates,
  reportCsv,
} from './dismantling.reports.ts';
import {
  batchMaterialsInput,
  deregistrationInput,
  dismantlingDocument,
  erasureInput,
  facilityInput,
  harvestInput,
  intakeInput,
  materialsInput,
  outboundInput,
  pretreatmentInput,
  refusalDocument,
  reservationInput,
  saleInput,
  stockQuery,
} from './dismantling.schemas.ts';
import * as service from './dismantling.service.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { ...json(schema), required: true } });
const ok = (description: string) => ({ description, ...json(dismantlingDocument) });
const vinParam = z.object({
  vin: z.string().openapi({ param: { name: 'vin', in: 'path' }, description: 'VIN' }),
});
const partParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, description: 'part id' }),
});
const packParam = z.object({
  code: z.string().openapi({ param: { name: 'code', in: 'path' }, description: 'GB/T 34014 pack code' }),
});
const tags = ['dismantling'];

export const dismantlingRouter = newRouter()
  .openapi(
    createRoute({
      method: 'put',
      path: '/dismantling/facility',
      tags,
      summary:
        "The caller's treatment facility as printed on certificates (name, address, permit, authority)",
      security: bearerSecurity,
      request: body(facilityInput),
      responses: { 200: ok('the facility'), ...problemResponses },
    }),
    async (c) => c.json(await service.setFacility(c.get('db'), c.get('principal'), c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/dismantling/intakes',
      tags,
      summary:
        'Receive an end-of-life vehicle and issue its recycling certificate, or refuse it with the reasons',
      description:
        'A VIN the platform has never seen is registered from the intake data and enters the log with `vehicle.enrolled`. ' +
        'Owner identity and plate stay off the log. 201 with the certificate number; 422 with `refused: true` and the reasons.',
      security: bearerSecurity,
      request: body(intakeInput),
      responses: {
        201: ok('certificate issued'),
        422: { description: 'refused: no certificate may be issued', ...json(refusalDocument) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const result = await service.intakeVehicle(c.get('db'), submitterOf(c), c.req.valid('json'));
      if (result.refused) return c.json(result, 422);
      return c.json(result as unknown as Record<string, unknown>, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/dismantling/vehicles/{vin}',
      tags,
      summary:
        'The ELV dossier: intake, certificate, deregistration, pre-treatment, parts, battery, materials, rates',
      security: bearerSecurity,
      request: { params: vinParam },
      responses: { 200: ok('the dossier'), ...problemResponses },
    }),
    async (c) =>
      c.json(await service.vehicleDossier(c.get('db'), c.get('principal'), c.req.valid('param').vin), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/dismantling/vehicles/{vin}/certificate',
      tags,
      summary:
        'The recycling certificate (报废机动车回收证明) with the EU Certificate of Destruction fields, as JSON',
      security: bearerSecurity,
      request: { params: vinParam },
      responses: { 200: ok('the certificate'), ...problemResponses },
    }),
    async (c) =>
      c.json(await certificateDocument(c.get('db'), c.get('principal'), c.req.valid('param').vin), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/dismantling/vehicles/{vin}/deregistration',
      tags,
      summary: 'Record the deregistration (注销登记)',
      security: bearerSecurity,
      request: { params: vinParam, ...body(deregistrationInput) },
      responses: { 201: ok('deregistered'), ...problemResponses },
    }),
    async (c) =>
      c.json(
        await service.deregisterVehicle(
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
      method: 'post',
      path: '/dismantling/vehicles/{vin}/owner/erasure',
      tags,
      summary: "Erase the owner's personal data (never in the log)",
      security: bearerSecurity,
      request: { params: vinParam, ...body(erasureInput) },
      responses: { 200: ok('erased'), ...problemResponses },
    }),
    async (c) =>
      c.json(
        await service.eraseOwnerData(
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
      path: '/dismantling/vehicles/{vin}/pretreatment',
      tags,
      summary:
        'Record a complete GB 22128 pre-treatment checklist (an incomplete one is refused, naming each item)',
      security: bearerSecurity,
      request: { params: vinParam, ...body(pretreatmentInput) },
      responses: { 201: ok('pre-treated'), ...problemResponses },
    }),
    async (c) =>
      c.json(
        await service.pretreatVehicle(
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
      method: 'post',
      path: '/dismantling/vehicles/{vin}/harvest',
      tags,
      summary: 'Dismantle: reusable parts into stock (回用件), five assemblies to remanufacturing or scrap',
      security: bearerSecurity,
      request: { params: vinParam, ...body(harvestInput) },
      responses: { 201: ok('dismantled'), ...problemResponses },
    }),
    async (c) =>
      c.json(
        await service.harvestVehicle(
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
      method: 'post',
      path: '/dismantling/vehicles/{vin}/materials',
      tags,
      summary: 'Weighed outputs of the vehicle; answers with its ISO 22628 rates (against the intake mass)',
      security: bearerSecurity,
      request: { params: vinParam, ...body(materialsInput) },
      responses: { 201: ok('weighed, with rates'), ...problemResponses },
    }),
    async (c) =>
      c.json(
        await service.weighVehicle(
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
      path: '/dismantling/vehicles/{vin}/rates',
      tags,
      summary: 'ISO 22628 recyclability and recoverability rates of one vehicle',
      security: bearerSecurity,
      request: { params: vinParam },
      responses: { 200: ok('rates'), ...problemResponses },
    }),
    async (c) =>
      c.json(await service.vehicleRates(c.get('db'), c.get('principal'), c.req.valid('param').vin), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/dismantling/batches',
      tags,
      summary: 'Weighed outputs of a shredder batch, allocated to its vehicles by intake mass',
      security: bearerSecurity,
      request: body(batchMaterialsInput),
      responses: { 201: ok('weighed'), ...problemResponses },
    }),
    async (c) => c.json(await service.weighBatch(c.get('db'), submitterOf(c), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/dismantling/parts',
      tags,
      summary: 'Reusable-part stock: search by part number and compatible model',
      security: bearerSecurity,
      request: { query: stockQuery },
      responses: { 200: ok('a page of parts, with `next`'), ...problemResponses },
    }),
    async (c) =>
      c.json(await service.searchStock(c.get('db'), c.get('principal'), c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/dismantling/parts/{id}',
      tags,
      summary: 'One harvested part or assembly',
      security: bearerSecurity,
      request: { params: partParam },
      responses: { 200: ok('the part'), ...problemResponses },
    }),
    async (c) => c.json(await service.getPart(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/dismantling/parts/{id}/reservation',
      tags,
      summary: 'Reserve a part for a buyer (a commercial hold, not a lifecycle event)',
      security: bearerSecurity,
      request: { params: partParam, ...body(reservationInput) },
      responses: { 200: ok('reserved'), ...problemResponses },
    }),
    async (c) =>
      c.json(
        await service.reservePart(
          c.get('db'),
          c.get('principal'),
          c.req.valid('param').id,
          c.req.valid('json'),
        ),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/dismantling/parts/{id}/reservation',
      tags,
      summary: 'Release a reservation',
      security: bearerSecurity,
      request: { params: partParam },
      responses: { 200: ok('released'), ...problemResponses },
    }),
    async (c) =>
      c.json(await service.releasePart(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/dismantling/parts/{id}/sale',
      tags,
      summary: 'Sell a reusable part for reuse (marked 报废机动车回用件); enters the sales ledger',
      security: bearerSecurity,
      request: { params: partParam, ...body(saleInput) },
      responses: { 201: ok('sold'), ...problemResponses },
    }),
    async (c) =>
      c.json(
        await service.sellPart(c.get('db'), submitterOf(c), c.req.valid('param').id, c.req.valid('json')),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/dismantling/batteries/{code}/outbound',
      tags,
      summary:
        'Hand the removed traction battery to a repurposer or recycler (15 working days, MIIT 2018 Art. 13)',
      security: bearerSecurity,
      request: { params: packParam, ...body(outboundInput) },
      responses: { 201: ok('handed over'), ...problemResponses },
    }),
    async (c) =>
      c.json(
        await service.handOverBattery(
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
      path: '/dismantling/rates',
      tags,
      summary: 'ISO 22628 rates of the vehicles dismantled in a period, against the 85 % / 95 % targets',
      security: bearerSecurity,
      request: { query: z.object({ from: z.string(), to: z.string() }) },
      responses: { 200: ok('rates'), ...problemResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await periodRates(c.get('db'), c.get('principal'), q.from, q.to), 200);
    },
  );

// Binary and CSV answers are plain routes, registered in the OpenAPI document by hand.

async function pdf(c: Context<AppEnv>, bytes: Promise<Buffer>, name: string) {
  const data = await bytes;
  return c.body(new Uint8Array(data), 200, {
    'content-type': 'application/pdf',
    'content-disposition': `inline; filename="${name}"`,
  });
}

dismantlingRouter.get('/dismantling/vehicles/:vin/certificate.pdf', (c) =>
  pdf(
    c,
    certificatePdf(c.get('db'), c.get('principal'), c.req.param('vin')),
    `certificate-${c.req.param('vin')}.pdf`,
  ),
);
dismantlingRouter.get('/dismantling/parts/:id/label.pdf', (c) =>
  pdf(c, partLabelPdf(c.get('db'), c.get('principal'), c.req.param('id')), `label-${c.req.param('id')}.pdf`),
);

function formatOf(c: Context<AppEnv>): 'json' | 'csv' {
  const format = c.req.query('format') ?? 'json';
  if (format !== 'json' && format !== 'csv')
    throw invalid('invalid_format', 'format is json or csv', [{ field: 'format', message: 'json or csv' }]);
  return format;
}

dismantlingRouter.get('/dismantling/reports', async (c) => {
  const format = formatOf(c);
  const { from, to } = c.req.query();
  const missing = (['from', 'to'] as const).filter((k) => !c.req.query(k));
  if (missing.length > 0)
    throw invalid(
      'invalid_request',
      'from and to are required',
      missing.map((field) => ({ field, message: 'required, e.g. 2026-01-01' })),
    );
  const report = await dismantlingReport(c.get('db'), c.get('principal'), from!, to!);
  if (format === 'csv') return c.body(reportCsv(report), 200, { 'content-type': 'text/csv; charset=utf-8' });
  return c.json(report, 200);
});

dismantlingRouter.get('/dismantling/reports/eu/:year', async (c) => {
  const format = formatOf(c);
  const year = Number(c.req.param('year'));
  const report = await euElvReport(c.get('db'), c.get('principal'), year);
  if (format === 'csv')
    return c.body(euReportCsv(report), 200, { 'content-type': 'text/csv; charset=utf-8' });
  return c.json(report, 200);
});

const binary = (type: string, description: string) => ({
  200: { description, content: { [type]: { schema: { type: 'string' as const, format: 'binary' } } } },
});
const auth = [{ bearerAuth: [] }];
const path = (name: string, description: string) => ({
  name,
  in: 'path' as const,
  required: true,
  description,
  schema: { type: 'string' as const },
});
const query = (name: string, description: string, required = false) => ({
  name,
  in: 'query' as const,
  required,
  description,
  schema: { type: 'string' as const },
});
dismantlingRouter.openAPIRegistry.registerPath({
  method: 'get',
  path: '/dismantling/vehicles/{vin}/certificate.pdf',
  tags,
  summary: 'The recycling certificate with the EU Certificate of Destruction fields, as PDF (bilingual)',
  security: auth,
  parameters: [path('vin', 'VIN')] as never,
  responses: binary('application/pdf', 'the certificate'),
});
dismantlingRouter.openAPIRegistry.registerPath({
  method: 'get',
  path: '/dismantling/parts/{id}/label.pdf',
  tags,
  summary: '报废机动车回用件 label (100 × 60 mm) with a QR code to the part’s public history',
  security: auth,
  parameters: [path('id', 'part id')] as never,
  responses: binary('application/pdf', 'the label'),
});
dismantlingRouter.openAPIRegistry.registerPath({
  method: 'get',
  path: '/dismantling/reports',
  tags,
  summary:
    'China ELV report for a period: intake, certificates, five assemblies (quantity, model, destination), parts sales ledger, battery outbound (15 working days) with overdue items flagged, recovery rates',
  security: auth,
  parameters: [
    query('from', 'first day, YYYY-MM-DD', true),
    query('to', 'last day (inclusive), YYYY-MM-DD', true),
    query('format', 'json (default) or csv'),
  ] as never,
  responses: {
    200: {
      description: 'the report',
      content: {
        'application/json': { schema: { type: 'object' as const } },
        'text/csv': { schema: { type: 'string' as const } },
      },
    },
  },
});
dismantlingRouter.openAPIRegistry.registerPath({
  method: 'get',
  path: '/dismantling/reports/eu/{year}',
  tags,
  summary: 'Yearly EU-style ELV report: reuse, recycling, energy recovery by material; 85 % / 95 % targets',
  security: auth,
  parameters: [path('year', 'e.g. 2026'), query('format', 'json (default) or csv')] as never,
  responses: {
    200: {
      description: 'the report',
      content: {
        'application/json': { schema: { type: 'object' as const } },
        'text/csv': { schema: { type: 'string' as const } },
      },
    },
  },
});
