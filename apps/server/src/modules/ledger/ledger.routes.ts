import { parseEntryBundlePath, parseTilePath, TILE_WIDTH, TileError } from '@carloop/ledger';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bearerSecurity, newRouter } from '../../http/context.ts';
import { problemResponses } from '../../http/openapi.ts';
import { problemResponse } from '../../http/problem.ts';
import { catalogueJson } from '../lifecycle/index.ts';
import { tokenKeyId } from '../parties/index.ts';
import { auditLog } from './ledger.audit.ts';
import { signedBatch, submitterOfSignedBatch } from './ledger.batches.ts';
import { erasePayload, subjectHistory } from './ledger.history.ts';
import {
  entryBundle,
  exportHistory,
  exportPublicHistory,
  hashTile,
  proveConsistency,
  proveInclusion,
} from './ledger.proofs.ts';
import { appendEvents, currentCheckpoint, eventInput, listCheckpoints } from './ledger.service.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const loose = (name: string) => z.looseObject({}).openapi(name);
const subjectParam = z.object({
  id: z
    .string()
    .openapi({ param: { name: 'id', in: 'path' }, description: 'VIN, battery code, part or lot id' }),
});
const checkpointView = z
  .object({ origin: z.string(), size: z.number(), rootHash: z.string(), note: z.string(), vkey: z.string() })
  .openapi('Checkpoint');
const appendResult = z
  .object({
    appended: z.number(),
    firstSeq: z.number().nullable(),
    lastSeq: z.number().nullable(),
    checkpoint: checkpointView,
  })
  .openapi('AppendResult');
const nonNegative = z.coerce.number().int().min(0);

/** Public paths of the log: anyone may read checkpoints, proofs, tiles and the catalogue; signed batches carry their own proof of origin. */
export const ledgerPublicPaths = [
  /^\/log\//,
  /^\/public\//,
  /^\/ledger\/(types|checkpoints?|proofs\/.*|batches)$/,
];

function bearerToken(c: Context): string {
  return /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
}

export const ledgerRouter = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/ledger/types',
      tags: ['ledger'],
      summary: 'The event catalogue: each type, subject kind, allowed states and payload JSON Schema',
      responses: { 200: { description: 'catalogue rows', ...json(z.array(loose('EventTypeRow'))) } },
    }),
    (c) => c.json(catalogueJson(), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/ledger/events',
      tags: ['ledger'],
      summary: 'Append a batch of events as the token holder; one bad event appends nothing',
      security: bearerSecurity,
      request: {
        body: {
          ...json(
            z
              .strictObject({ events: z.array(eventInput.or(z.unknown())).min(1).max(10000) })
              .openapi('EventBatch'),
          ),
          required: true,
        },
      },
      responses: { 201: { description: 'appended', ...json(appendResult) }, ...problemResponses },
    }),
    async (c) => {
      const result = await appendEvents(
        c.get('db'),
        { principal: c.get('principal'), keyId: tokenKeyId(bearerToken(c)) },
        c.req.valid('json').events,
      );
      return c.json(result, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/ledger/batches',
      tags: ['ledger'],
      summary:
        'Append a batch signed with a registered Ed25519 key (one signature over the batch digest); no token needed',
      request: { body: { ...json(signedBatch.openapi('SignedBatch')), required: true } },
      responses: { 201: { description: 'appended', ...json(appendResult) }, ...problemResponses },
    }),
    async (c) => {
      const { submitter, events } = await submitterOfSignedBatch(c.get('db'), c.req.valid('json'));
      return c.json(await appendEvents(c.get('db'), submitter, events), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/ledger/checkpoint',
      tags: ['ledger'],
      summary: 'The latest signed checkpoint (C2SP signed note) and the verifier key',
      responses: { 200: { description: 'checkpoint', ...json(checkpointView) } },
    }),
    async (c) => c.json(await currentCheckpoint(c.get('db')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/ledger/checkpoints',
      tags: ['ledger'],
      summary: 'Signed checkpoints, newest first (page with `before`, a tree size)',
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          before: nonNegative.optional(),
        }),
      },
      responses: {
        200: { description: 'checkpoints', ...json(z.array(loose('CheckpointRecord'))) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listCheckpoints(c.get('db'), q.limit, q.before), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/ledger/proofs/inclusion',
      tags: ['ledger'],
      summary: 'Inclusion proof of entry `seq` in the tree of `size` (default: latest)',
      request: { query: z.object({ seq: nonNegative, size: nonNegative.optional() }) },
      responses: { 200: { description: 'proof', ...json(loose('InclusionProof')) }, ...problemResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await proveInclusion(c.get('db'), q.seq, q.size), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/ledger/proofs/consistency',
      tags: ['ledger'],
      summary: 'Consistency proof between the trees of sizes `from` and `to`',
      request: { query: z.object({ from: nonNegative, to: nonNegative }) },
      responses: { 200: { description: 'proof', ...json(loose('ConsistencyProof')) }, ...problemResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await proveConsistency(c.get('db'), q.from, q.to), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/subjects/{id}/history',
      tags: ['ledger'],
      summary: "A subject's events with flags; payloads where the caller may see them",
      security: bearerSecurity,
      request: { params: subjectParam },
      responses: { 200: { description: 'history', ...json(loose('SubjectHistory')) }, ...problemResponses },
    }),
    async (c) => c.json(await subjectHistory(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/subjects/{id}/bundle',
      tags: ['ledger'],
      summary: 'The history bundle (carloop-history@1) to verify offline',
      security: bearerSecurity,
      request: { params: subjectParam },
      responses: { 200: { description: 'bundle', ...json(loose('HistoryBundle')) }, ...problemResponses },
    }),
    async (c) => c.json(await exportHistory(c.get('db'), c.get('principal'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/public/subjects/{id}/bundle',
      tags: ['ledger'],
      summary:
        'The public history bundle of a subject (what a QR code on a part, vehicle or battery opens): every event proven; condition and provenance payloads disclosed, commercial ones withheld',
      request: { params: subjectParam },
      responses: {
        200: { description: 'bundle', ...json(loose('PublicHistoryBundle')) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await exportPublicHistory(c.get('db'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/ledger/events/{id}/erasure',
      tags: ['ledger'],
      summary: "Erase an event's payload and salt (personal-data request); every proof stays valid",
      security: bearerSecurity,
      request: {
        params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }),
        body: {
          ...json(z.strictObject({ reason: z.string().min(1).max(500) }).openapi('Erasure')),
          required: true,
        },
      },
      responses: { 200: { description: 'erased', ...json(loose('ErasureResult')) }, ...problemResponses },
    }),
    async (c) =>
      c.json(
        await erasePayload(
          c.get('db'),
          c.get('principal'),
          c.req.valid('param').id,
          c.req.valid('json').reason,
        ),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/ledger/audit',
      tags: ['ledger'],
      summary: 'Recompute the tree from the stored entries and check every checkpoint',
      security: bearerSecurity,
      responses: { 200: { description: 'audit report', ...json(loose('AuditReport')) }, ...problemResponses },
    }),
    async (c) => c.json(await auditLog(c.get('db'), c.get('principal')), 200),
  );

// tlog-tiles (c2sp.org/tlog-tiles): full tiles never change, so they are cacheable forever;
// partial tiles and the checkpoint change as the log grows.
const immutable = 'public, max-age=31536000, immutable';
const shortLived = 'public, max-age=5';

ledgerRouter.get('/log/checkpoint', async (c) => {
  const cp = await currentCheckpoint(c.get('db'));
  return c.body(cp.note, 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
});

ledgerRouter.get('/log/tile/*', async (c) => {
  const path = c.req.path.slice('/log/'.length);
  try {
    const entries = path.startsWith('tile/entries/');
    const coords = entries ? { level: -1, ...parseEntryBundlePath(path) } : parseTilePath(path);
    const body = entries
      ? await entryBundle(c.get('db'), coords.index, coords.width)
      : await hashTile(c.get('db'), coords.level, coords.index, coords.width);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/octet-stream',
      'cache-control': coords.width === TILE_WIDTH ? immutable : shortLived,
    });
  } catch (error) {
    if (error instanceof TileError)
      return problemResponse(c, 400, 'invalid_tile_path', error.message, [
        { field: 'path', message: error.message },
      ]);
    throw error;
  }
});

ledgerRouter.openAPIRegistry.registerPath({
  method: 'get',
  path: '/log/checkpoint',
  tags: ['log (tlog-tiles)'],
  summary: 'The latest checkpoint as a C2SP signed note (text/plain)',
  responses: { 200: { description: 'signed note' } },
});
ledgerRouter.openAPIRegistry.registerPath({
  method: 'get',
  path: '/log/tile/{L}/{N}',
  tags: ['log (tlog-tiles)'],
  summary:
    'Hash tile L/N (N in x001/x234/067 form; partial tiles as N.p/W); entry bundles at /log/tile/entries/{N}',
  responses: {
    200: { description: 'tile bytes (application/octet-stream)' },
    404: { description: 'beyond the log' },
  },
});
