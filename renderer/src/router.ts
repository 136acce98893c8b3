import { useSyncExternalStore } from 'react';

/**
 * Hash navigation, no extra dependency: the path lives in location.hash ("#/masterdata/suppliers"), so a reload
 * keeps the page and the built index.html works from any base (file://, a custom protocol, the test server).
 */
function subscribe(fn: () => void): () => void {
  window.addEventListener('hashchange', fn);
  return () => window.removeEventListener('hashchange', fn);
}

export function currentPath(): string {
  const h = window.location.hash.replace(/^#/, '');
  return h.startsWith('/') ? h.split('?')[0] : '/';
}

/** The current path, re-rendering on navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

/** Query parameters after "?" in the hash: "#/audit?entity=supplier". */
export function useQuery(): URLSearchParams {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash, () => '');
  const i = hash.indexOf('?');
  return new URLSearchParams(i >= 0 ? hash.slice(i + 1) : '');
}

export function navigate(path: string): void {
  const target = `#${path.startsWith('/') ? path : `/${path}`}`;
  if (window.location.hash !== target) window.location.hash = target;
}

/**
 * Whether `path` is served by the route at `routePath`: the same path or below it, so "/masterdata/suppliers/<id>"
 * (a link from the home page) opens the suppliers page, which reads the id from `restOf`.
 */
export function matches(routePath: string, path: string): boolean {
  if (routePath === '/') return path === '/';
  return path === routePath || path.startsWith(`${routePath}/`);
}

/** What follows the route's own path: "/masterdata/suppliers/abc" under "/masterdata/suppliers" → "abc". */
export function restOf(routePath: string, path: string): string {
  return matches(routePath, path) ? path.slice(routePath.length).replace(/^\//, '') : '';
}
