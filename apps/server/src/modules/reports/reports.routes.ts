import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, newRouter } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { loopReportView } from './reports.schemas.ts';
import { loopReport } from './reports.service.ts';

export const reportsRouter = newRouter().openapi(
  createRoute({
    method: 'get',
    path: '/reports/loop',
    tags: ['reports'],
    summary:
      'The loop report: vehicles per stage, value captured per stage, guarantee performance, ISO 22628 and battery element recovery rates, avoided emissions',
    security: bearerSecurity,
    responses: {
      200: { description: 'the loop report', content: { 'application/json': { schema: loopReportView } } },
      ...problemResponses,
    },
  }),
  async (c) => c.json(await loopReport(c.get('db'), c.get('principal')), 200),
);
