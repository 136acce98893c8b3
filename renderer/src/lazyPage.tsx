import { lazy, type ComponentType, type ReactNode } from 'react';

/**
 * A route's page, loaded on first visit: each becomes a chunk of its own, so the first screen parses only the shell
 * and the page it shows (the whole app as one script was 1.6 MB to parse and run before anything appeared). The
 * Shell renders route elements inside <Suspense>. `pick` names the module's export:
 *   element: page(() => import('./pages/HomePage.tsx'), (m) => m.HomePage)
 */
export function page<M>(load: () => Promise<M>, pick: (m: M) => ComponentType): ReactNode {
  const Page = lazy(() => load().then((m) => ({ default: pick(m) })));
  return <Page />;
}
