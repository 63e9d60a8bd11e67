import { describe, expect, it } from 'vitest';
import { ApiError, problemFromResponse, problemOf } from './problem.ts';

describe('problem details', () => {
  it('reads RFC 9457 problem+json with field-level errors', () => {
    const body = JSON.stringify({
      type: 'https://carloop.dev/problems/invalid_request',
      title: 'Bad Request',
      status: 400,
      detail: 'the request failed validation',
      code: 'invalid_request',
      errors: [{ field: 'query.kind', message: 'Invalid option' }, { nonsense: true }],
    });
    expect(problemFromResponse(400, body)).toEqual({
      title: 'Bad Request',
      status: 400,
      detail: 'the request failed validation',
      code: 'invalid_request',
      errors: [
        { field: 'query.kind', message: 'Invalid option' },
        { field: '(unknown)', message: '(no message)' },
      ],
    });
  });

  it('still describes a failure whose body is not a problem', () => {
    expect(problemFromResponse(502, '<html>Bad gateway</html>')).toEqual({
      title: 'HTTP 502',
      status: 502,
      detail: '<html>Bad gateway</html>',
      errors: [],
    });
    expect(problemFromResponse(503, '')).toEqual({ title: 'HTTP 503', status: 503, errors: [] });
    expect(problemFromResponse(500, 'x'.repeat(400)).detail).toHaveLength(301);
  });

  it('turns any thrown value into a problem', () => {
    const problem = {
      title: 'Not Found',
      status: 404,
      detail: 'no asset with id X',
      code: 'asset_not_found',
      errors: [],
    };
    expect(problemOf(new ApiError(problem))).toBe(problem);
    expect(problemOf(new Error('boom'))).toEqual({ title: 'Error', status: 0, detail: 'boom', errors: [] });
    expect(new ApiError(problem).message).toBe('Not Found: no asset with id X');
  });
});
