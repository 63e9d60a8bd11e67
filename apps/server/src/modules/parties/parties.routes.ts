import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, newRouter } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { page, pageOf, pageQuery } from '../../http/pagination.ts';
import { permissionsOf } from './parties.model.ts';
import { addKeyBody, createdParty, createPartyBody, party, partyKey } from './parties.schemas.ts';
import * as parties from './parties.service.ts';

const idParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

export const partiesRouter = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags: ['parties'],
      summary: 'Who the token belongs to: the party, its roles and what it may do',
      security: bearerSecurity,
      responses: {
        200: {
          description: 'the calling party',
          content: {
            'application/json': {
              schema: z.object({
                partyId: z.string(),
                name: z.string(),
                roles: z.array(z.string()),
                permissions: z.array(z.string()),
              }),
            },
          },
        },
        ...problemResponses,
      },
    }),
    (c) => {
      const p = c.get('principal');
      return c.json({ partyId: p.partyId, name: p.name, roles: p.roles, permissions: permissionsOf(p) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/parties',
      tags: ['parties'],
      summary: 'Create an organisation with its roles; returns its API token once',
      security: bearerSecurity,
      request: { body: { content: { 'application/json': { schema: createPartyBody } }, required: true } },
      responses: {
        201: { description: 'created', content: { 'application/json': { schema: createdParty } } },
        ...problemResponses,
      },
    }),
    async (c) => {
      const created = await parties.createParty(c.get('db'), c.get('principal'), c.req.valid('json'));
      return c.json(created, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/parties',
      tags: ['parties'],
      summary: 'List organisations',
      security: bearerSecurity,
      request: { query: pageQuery },
      responses: {
        200: { description: 'a page of parties', content: { 'application/json': { schema: pageOf(party) } } },
        ...problemResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await parties.listParties(c.get('db'), c.get('principal'), q);
      return c.json(page(items, q.limit), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/parties/{id}',
      tags: ['parties'],
      summary: 'One organisation with its public keys',
      security: bearerSecurity,
      request: { params: idParam },
      responses: {
        200: { description: 'the party', content: { 'application/json': { schema: party } } },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(await parties.getParty(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/parties/{id}/keys',
      tags: ['parties'],
      summary: 'Register an Ed25519 public key for signing event batches',
      security: bearerSecurity,
      request: {
        params: idParam,
        body: { content: { 'application/json': { schema: addKeyBody } }, required: true },
      },
      responses: {
        201: { description: 'registered', content: { 'application/json': { schema: partyKey } } },
        ...problemResponses,
      },
    }),
    async (c) => {
      const key = await parties.addPartyKey(
        c.get('db'),
        c.get('principal'),
        c.req.valid('param').id,
        c.req.valid('json').publicKey,
      );
      return c.json(key, 201);
    },
  );
