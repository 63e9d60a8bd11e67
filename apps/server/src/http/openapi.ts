import { z } from '@hono/zod-openapi';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** The error responses every authenticated route can give (RFC 9457 problem+json). */
export const problemResponses = {
  400: problem('invalid input; `errors` names each field and the reason'),
  401: problem('missing or unknown API token'),
  403: problem('the party may not do this'),
  404: problem('not found'),
  409: problem('conflicts with the current state'),
  413: problem('request body too large'),
} as const;
