/**
 * Node's compile cache for the processes the tests start (the real CLI, the crash test's poster): vitest.config.ts
 * points NODE_COMPILE_CACHE at a temp folder, so a child reuses the code an earlier child compiled (a CLI start took
 * about 0.9 s of CPU cold and 0.5 s cached on the 2-core machine). Node checks each entry against its source, so a
 * changed file is compiled afresh. A test that gives its child a clean environment passes this on with it.
 */
export function compileCacheEnv(): Record<string, string> {
  const dir = process.env.NODE_COMPILE_CACHE;
  return dir ? { NODE_COMPILE_CACHE: dir } : {};
}
