import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type ErrorKind, type FieldError } from '../shared/errors.ts';

/** RFC 9457 problem details, with our field-level `errors` extension member. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

const statusOf: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  integrity: 500,
};

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
};

export function problemResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  detail: string,
  errors?: FieldError[],
) {
  const body: Problem = {
    type: `https://carloop.dev/problems/${code}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    code,
  };
  if (errors && errors.length > 0) body.errors = errors;
  return c.newResponse(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}

/** The one place where errors become HTTP responses. */
export function toProblem(error: unknown, c: Context) {
  if (error instanceof DomainError)
    return problemResponse(c, statusOf[error.kind], error.code, error.message, error.errors);
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    if (status === 413)
      return problemResponse(c, 413, 'body_too_large', error.message || 'request body is too large');
    const malformed = /malformed json/i.test(error.message);
    return problemResponse(
      c,
      status,
      malformed ? 'malformed_json' : 'http_error',
      error.message || titles[status] || 'error',
      malformed ? [{ field: '(body)', message: 'request body is not valid JSON' }] : undefined,
    );
  }
  console.error(error);
  return problemResponse(c, 500, 'internal_error', 'an unexpected error occurred');
}
