import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, newRouter } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import {
  accessQuery,
  exportQuery,
  passportDeclaration,
  submissionInput,
  traceabilityQuery,
  traceabilityRow,
} from './passports.schemas.ts';
import {
  declarePassport,
  exportBatteryPass,
  exportCatenax,
  passportQr,
  showPassport,
} from './passports.service.ts';
import { markReported, reportCsv, traceabilityReport } from './traceability.service.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const codeParam = z.object({
  code: z.string().openapi({ param: { name: 'code', in: 'path' }, description: 'GB/T 34014 battery code' }),
});
const passportView = z
  .looseObject({ productIdentifier: z.string(), passportStatus: z.string() })
  .openapi('PassportView');
const ceased = {
  description: 'recycled: the passport has ceased (Art. 77(8)); the body is its end-of-life record',
  ...json(passportView),
};

/**
 * Paths anyone may read without a token: the public passport the battery's QR code points at, and
 * the QR images. The HTTP app lists them with its other public paths.
 */
export const passportPublicPaths = [/^\/passports\/[A-Z0-9]+$/, /^\/passports\/[A-Z0-9]+\/qr\.(png|svg)$/];

export const passportsRouter = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/batteries/{code}/passport',
      tags: ['passports'],
      summary: 'The EU battery passport as the caller may see it (public, legitimate interest, authority)',
      description:
        'Access levels follow the Battery Pass attribute longlist v1.2 (Reg. (EU) 2023/1542 Art. 77(2)): recyclers, repurposers and dismantlers have a legitimate interest; regulators and auditors see all. Keys are the Battery Pass data model names, one object per submodel. A recycled battery answers 410 with its end-of-life record.',
      security: bearerSecurity,
      request: { params: codeParam, query: accessQuery },
      responses: {
        200: { description: 'the passport', ...json(passportView) },
        410: ceased,
        ...problemResponses,
      },
    }),
    async (c) => {
      const view = await showPassport(
        c.get('db'),
        c.get('principal'),
        c.req.valid('param').code,
        c.req.valid('query').access,
      );
      const body = view as unknown as z.infer<typeof passportView>;
      return view.passportStatus === 'ceased' ? c.json(body, 410) : c.json(body, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/batteries/{code}/passport/export',
      tags: ['passports'],
      summary:
        'Export the passport: the seven Battery Pass submodels, or the Catena-X battery_pass 6.1.0 form',
      description:
        'Each document is validated against the newest version of its schema in shared/data/batterypass (Catena-X: battery_pass 6.1.0). `dataGaps` lists every attribute written as a placeholder because nobody declared it.',
      security: bearerSecurity,
      request: { params: codeParam, query: exportQuery },
      responses: {
        200: {
          description: 'documents and their validation',
          ...json(z.looseObject({}).openapi('PassportExport')),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const format = c.req.valid('query').format;
      const db = c.get('db');
      return c.json(
        format === 'catenax'
          ? await exportCatenax(db, c.get('principal'), code)
          : await exportBatteryPass(db, c.get('principal'), code),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/batteries/{code}/passport/declaration',
      tags: ['passports'],
      summary:
        'Declare the passport model data the log does not hold (manufacturer, carbon footprint, documents, ratings)',
      security: bearerSecurity,
      request: { params: codeParam, body: { ...json(passportDeclaration), required: true } },
      responses: {
        200: { description: 'the declaration', ...json(z.looseObject({}).openapi('PassportDeclared')) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(
        await declarePassport(
          c.get('db'),
          c.get('principal'),
          c.req.valid('param').code,
          c.req.valid('json'),
        ),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/traceability/report',
      tags: ['traceability'],
      summary:
        'China battery-traceability report: reportable events with deadline (working days), reported date and status',
      description:
        'Duties per the 2018 溯源管理暂行规定 Arts. 8–15 (15 or 30 working days, PRC holiday calendar). status: on_time, late, overdue, due_soon (within 3 working days), pending. `format=csv` answers text/csv with the same columns.',
      security: bearerSecurity,
      request: { query: traceabilityQuery },
      responses: {
        200: {
          description: 'report rows (JSON array, or text/csv)',
          content: {
            'application/json': { schema: z.array(traceabilityRow) },
            'text/csv': { schema: z.string() },
          },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await traceabilityReport(c.get('db'), c.get('principal'), {
        from: q.from,
        to: q.to,
        ...(q.party !== undefined ? { party: q.party } : {}),
        ...(q.asOf !== undefined ? { asOf: q.asOf } : {}),
      });
      if (q.format === 'csv')
        return c.body(reportCsv(rows), 200, { 'content-type': 'text/csv; charset=utf-8' }) as never;
      return c.json(rows, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/traceability/submissions',
      tags: ['traceability'],
      summary: 'Record that reportable events were uploaded to the national traceability platform',
      security: bearerSecurity,
      request: { body: { ...json(submissionInput), required: true } },
      responses: {
        201: { description: 'the rows now reported', ...json(z.array(z.looseObject({}))) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await markReported(c.get('db'), c.get('principal'), c.req.valid('json')), 201),
  );

// The public face: no token, the public access level only.
passportsRouter.get('/passports/:code', async (c) => {
  const view = await showPassport(c.get('db'), null, c.req.param('code'), 'public');
  return c.json(view, view.passportStatus === 'ceased' ? 410 : 200);
});
passportsRouter.get('/passports/:code/qr.png', async (c) => {
  const qr = await passportQr(c.get('db'), c.req.param('code'), 'png');
  return c.body(new Uint8Array(qr.png!), 200, {
    'content-type': 'image/png',
    'cache-control': 'public, max-age=86400',
  });
});
passportsRouter.get('/passports/:code/qr.svg', async (c) => {
  const qr = await passportQr(c.get('db'), c.req.param('code'), 'svg');
  return c.body(qr.svg!, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' });
});

const publicDoc = (path: string, summary: string, description: string) =>
  passportsRouter.openAPIRegistry.registerPath({
    method: 'get',
    path,
    tags: ['passports'],
    summary,
    request: { params: codeParam },
    responses: {
      200: { description },
      404: { description: 'no such battery' },
      410: { description: 'recycled: end-of-life record' },
    },
  });
publicDoc(
  '/passports/{code}',
  'The public passport (no token): what the QR code on the battery opens',
  'public attributes only',
);
publicDoc('/passports/{code}/qr.png', 'QR code (ISO/IEC 18004) of the public passport URL, PNG', 'image/png');
publicDoc('/passports/{code}/qr.svg', 'QR code of the public passport URL, SVG', 'image/svg+xml');
