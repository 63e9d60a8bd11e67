import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, newRouter } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { page, pageOf, pageQuery } from '../../http/pagination.ts';
import { assetKinds, assetView, linkInput, unlinkInput } from './assets.schemas.ts';
import * as assets from './assets.service.ts';

const idParam = z.object({
  id: z
    .string()
    .openapi({ param: { name: 'id', in: 'path' }, description: 'VIN, battery code, part or lot id' }),
});
const atQuery = z.object({
  at: z.string().optional().openapi({ description: 'ISO 8601 UTC time; default now' }),
});
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const registration = z.looseObject({ kind: z.enum(assetKinds) }).openapi('AssetRegistration', {
  description:
    'One of VehicleRegistration, BatteryRegistration, PartRegistration, MaterialLotRegistration, chosen by `kind`',
});

export const assetsRouter = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/assets/counts',
      tags: ['assets'],
      summary: 'Number of assets by kind and lifecycle state',
      security: bearerSecurity,
      responses: {
        200: { description: 'counts', ...json(z.looseObject({ total: z.number() })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await assets.countAssets(c.get('db'), c.get('principal')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/assets',
      tags: ['assets'],
      summary: 'Register a vehicle, battery pack/module/cell, part or material lot',
      security: bearerSecurity,
      request: { body: { ...json(registration), required: true } },
      responses: { 201: { description: 'registered', ...json(assetView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await assets.registerAsset(c.get('db'), c.get('principal'), c.req.valid('json'), c.get('assetHooks')),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/assets',
      tags: ['assets'],
      summary: 'List assets by kind and state',
      security: bearerSecurity,
      request: {
        query: pageQuery.extend({ kind: z.enum(assetKinds).optional(), state: z.string().optional() }),
      },
      responses: {
        200: { description: 'a page of assets', ...json(pageOf(assetView)) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(page(await assets.listAssets(c.get('db'), c.get('principal'), q), q.limit), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}',
      tags: ['assets'],
      summary: 'One asset with its current container and contents',
      security: bearerSecurity,
      request: { params: idParam },
      responses: { 200: { description: 'the asset', ...json(assetView) }, ...problemResponses },
    }),
    async (c) => c.json(await assets.getAsset(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}/contents',
      tags: ['assets'],
      summary: 'What the asset contained at a time (cells ∈ modules ∈ packs ∈ vehicle)',
      security: bearerSecurity,
      request: { params: idParam, query: atQuery },
      responses: {
        200: { description: 'containment tree', ...json(z.looseObject({ id: z.string(), at: z.string() })) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(
        await assets.contentsAt(
          c.get('db'),
          c.get('principal'),
          c.req.valid('param').id,
          c.req.valid('query').at,
        ),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}/location',
      tags: ['assets'],
      summary: 'Where the asset was at a time: its containers from the nearest outward',
      security: bearerSecurity,
      request: { params: idParam, query: atQuery },
      responses: {
        200: { description: 'container chain', ...json(z.looseObject({ id: z.string(), at: z.string() })) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(
        await assets.locationAt(
          c.get('db'),
          c.get('principal'),
          c.req.valid('param').id,
          c.req.valid('query').at,
        ),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/composition/links',
      tags: ['assets'],
      summary: 'Put a component into a container from a time on',
      security: bearerSecurity,
      request: { body: { ...json(linkInput), required: true } },
      responses: {
        201: { description: 'linked', ...json(z.looseObject({ id: z.string() })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await assets.link(c.get('db'), c.get('principal'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/composition/unlinks',
      tags: ['assets'],
      summary: 'Take a component out of its container at a time',
      security: bearerSecurity,
      request: { body: { ...json(unlinkInput), required: true } },
      responses: {
        200: { description: 'unlinked', ...json(z.looseObject({ id: z.string() })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await assets.unlink(c.get('db'), c.get('principal'), c.req.valid('json')), 200),
  );
