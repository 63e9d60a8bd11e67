// RFC 9457 problem details as the Carloop API sends them, with its field-level `errors` member.

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors: FieldError[];
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((e) => ({
    field: typeof e.field === 'string' ? e.field : '(unknown)',
    message:
      typeof e.message === 'string'
        ? e.message
        : e.message === undefined
          ? '(no message)'
          : JSON.stringify(e.message),
  }));
}

/** The problem a failed response describes; a body that is not problem+json still yields one. */
export function problemFromResponse(status: number, body: string): Problem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isRecord(parsed) && (typeof parsed.title === 'string' || typeof parsed.detail === 'string')) {
    return {
      title: typeof parsed.title === 'string' ? parsed.title : `HTTP ${status}`,
      status: typeof parsed.status === 'number' ? parsed.status : status,
      ...(typeof parsed.detail === 'string' ? { detail: parsed.detail } : {}),
      ...(typeof parsed.code === 'string' ? { code: parsed.code } : {}),
      errors: fieldErrors(parsed.errors),
    };
  }
  const text = body.trim();
  return {
    title: `HTTP ${status}`,
    status,
    ...(text ? { detail: text.length > 300 ? `${text.slice(0, 300)}…` : text } : {}),
    errors: [],
  };
}

/** Any thrown value as a problem, so every error is shown the same way. */
export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  const message = error instanceof Error ? error.message : String(error);
  return { title: 'Error', status: 0, detail: message, errors: [] };
}
