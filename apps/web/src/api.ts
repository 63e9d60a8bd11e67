import { useEffect, useRef, useState } from 'react';
import { ApiError, problemFromResponse } from './problem.ts';

export type Query = Record<string, string | number | null | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** A path segment for an asset id (part ids such as "DQ381/0DL22771" contain "/"). */
export function segment(id: string): string {
  return encodeURIComponent(id);
}

export interface RequestOptions {
  token?: string | null;
  query?: Query;
  signal?: AbortSignal;
}

/** GET a JSON document from the Carloop API; failures throw `ApiError` with the problem details. */
export async function getJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const text = await getText(path, options);
  return JSON.parse(text) as T;
}

/** GET a response body as text (for downloads that must stay byte-exact). */
export async function getText(path: string, options: RequestOptions = {}): Promise<string> {
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      headers: {
        accept: 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      title: 'Network error 网络错误',
      status: 0,
      detail: `the Carloop server could not be reached (${(error as Error).message})`,
      errors: [],
    });
  }
  const text = await response.text();
  if (!response.ok) throw new ApiError(problemFromResponse(response.status, text));
  return text;
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads data for a page. `key` names what to load (null: nothing yet); a new key aborts the
 * previous request, so a late answer never overwrites a newer one.
 */
export function useApi<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const loader = useRef(load);
  loader.current = load;
  const [nonce, setNonce] = useState(0);
  const [state, setState] = useState<{ key: string | null; data?: T; error?: unknown; loading: boolean }>({
    key: null,
    loading: key !== null,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `nonce` is the reload trigger; the loader is read through a ref
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => ({ key, loading: true, ...(s.key === key ? { data: s.data } : {}) }));
    loader
      .current(controller.signal)
      .then((data) => {
        if (!controller.signal.aborted) setState({ key, data, loading: false });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ key, error, loading: false });
      });
    return () => controller.abort();
  }, [key, nonce]);

  return {
    data: state.key === key ? state.data : undefined,
    error: state.key === key ? state.error : undefined,
    loading: key !== null && (state.key !== key || state.loading),
    reload: () => setNonce((n) => n + 1),
  };
}
