// History routing under /app/ (the server answers every /app/* path with index.html).
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

export const basePath = '/app';
const listeners = new Set<() => void>();

export interface Route {
  /** Path below /app, always starting with "/". */
  path: string;
  query: URLSearchParams;
}

function locationKey(): string {
  return window.location.pathname + window.location.search;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function useRoute(): Route {
  const key = useSyncExternalStore(subscribe, locationKey, () => '/');
  const url = new URL(key, window.location.origin);
  const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
  return { path: path || '/', query: url.searchParams };
}

/** Goes to a console path ("/assets?kind=vehicle"). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = basePath + to;
  if (url === locationKey()) return;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An in-console link: a real href (open in new tab works), client-side navigation on a plain click. */
export function Link({ to, onClick, ...props }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={basePath + to} onClick={handleClick} {...props} />;
}
