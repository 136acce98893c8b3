import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/sequencer.ts';

export default defineConfig({
  test: {
    // Real SQLite files and a real Chromium on a 2-core machine: run files in parallel, but not too many. Three workers
    // (core and Chromium files together) took 678 s where two took 790: each process ran slower beside two others
    // (tamper-domains 103 → 256 s) and the run spent 1,002 s of CPU instead of about 700.
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
    // The Chromium files run after the core files (groupOrder), two at a time: beside the tamper suites' minutes of CPU a
    // dialog's click or a toast missed its time on CI runs, while two browsers side by side pass — their waits look for
    // what the page settles on (quietPage, polls) and import-progress holds its 取消 window open. One at a time they
    // took 374-413 s, mostly waiting on the page (166 s of CPU).
    projects: [
      // Core files share their worker's modules (isolate: false): each of ~130 files re-imported the core afresh, about
      // 1.5 s of a worker each, a third of the core phase (413 → 272 s on 2 cores, 2026-12-03). A file that changes a
      // shared module or the process (new-table's scratch migration, workbook's TZ) puts it back in its afterAll.
      { extends: true, test: { name: 'core', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], isolate: false, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/e2e/harness.ts'], setupFiles: ['test/e2e/on-failure.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
