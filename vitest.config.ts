import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/sequencer.ts';

export default defineConfig({
  test: {
    // Real SQLite files and a real Chromium on a 2-core machine: run files in parallel, but not too many.
    maxWorkers: 2,
    testTimeout: 30_000,
    // expect.poll waits for what a click sets off (an IPC round trip, a write, a re-render): vitest's 1 s default made
    // the e2e tests fail on a loaded CI machine though nothing was wrong (storeroom's count post, 2026-11-28).
    expect: { poll: { timeout: 15_000, interval: 100 } },
    hookTimeout: 120_000,
    // The longest core files first, so both workers finish together on a fresh clone too (test/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    // The CLI and child processes the tests start (hundreds) reuse compiled code (test/helpers/child-env.ts).
    env: { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.join(os.tmpdir(), 'canteen-test-compile-cache') },
    // The Chromium tests run after the rest (groupOrder), one file at a time: beside the tamper suites' minutes of CPU,
    // or beside another browser, a dialog's click or a toast missed its time on CI runs (a different e2e file each
    // run) while every file passed alone and under 6× CPU throttling.
    projects: [
      { extends: true, test: { name: 'core', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/e2e/harness.ts'], setupFiles: ['test/e2e/on-failure.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
