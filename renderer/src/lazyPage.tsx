import { lazy, type ComponentType, type ReactNode } from 'react';

/** Each page element's loader, so the shell can start fetching the page to show before it can render it. */
const loaders = new WeakMap<object, () => Promise<unknown>>();

/**
 * A route's page, loaded on first visit: each becomes a chunk of its own, so the first screen parses only the shell
 * and the page it shows (the whole app as one script was 1.6 MB to parse and run before anything appeared). The
 * Shell renders route elements inside <Suspense>. `pick` names the module's export:
 *   element: page(() => import('./pages/HomePage.tsx'), (m) => m.HomePage)
 */
export function page<M>(load: () => Promise<M>, pick: (m: M) => ComponentType): ReactNode {
  let loading: Promise<{ default: ComponentType }> | null = null;
  const get = () => (loading ??= load().then((m) => ({ default: pick(m) })));
  const Page = lazy(get);
  const element = <Page />;
  loaders.set(element, get);
  return element;
}

/**
 * Starts loading a page made by `page()` (once; later calls reuse the same promise). The shell calls it for the
 * address the window opens on, so the page's chunk loads while the session is asked for and the frame renders,
 * instead of after.
 */
export function preloadPage(element: ReactNode): Promise<unknown> {
  const get = element && typeof element === 'object' ? loaders.get(element) : undefined;
  return get ? get().catch(() => undefined) : Promise.resolve();
}

/**
 * Loads the pages given (their scripts fetched, parsed and run, nothing rendered) once the window has nothing else to
 * do: after `first` (the page on screen) has loaded, one page per idle period, so the first click on one of them does
 * not wait for its scripts (issue 15: the door form usable soon after 验收入库 is clicked). Returns a cancel function.
 */
export function warmPages(first: ReactNode, pages: ReactNode[]): () => void {
  let cancelled = false;
  let handle: number | undefined;
  const next = (i: number) => {
    if (cancelled || i >= pages.length) return;
    // the timeout: a window kept busy (a timer, an animation) still gets them, a little later
    handle = requestIdleCallback(() => void preloadPage(pages[i]).then(() => next(i + 1)), { timeout: 3000 });
  };
  void preloadPage(first).then(() => next(0));
  return () => {
    cancelled = true;
    if (handle !== undefined) cancelIdleCallback(handle);
  };
}
