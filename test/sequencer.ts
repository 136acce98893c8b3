import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds per file in a CI-like run on 2 cores (test-results/suite-times.txt, written by .ci/run; 2026-12-03), core and
 * Chromium files, for the files of 4 s or more. Update it from a new suite-times.txt when a file's time changes much; a
 * file not listed simply runs after these.
 */
const CI_SECONDS: Record<string, number> = {
  'test/integrity/tamper-domains.test.ts': 133,
  'test/packaging/readme.test.ts': 67,
  'test/e2e/screens.test.ts': 49,
  'test/integrity/crash.test.ts': 48,
  'test/core/cli.test.ts': 37,
  'test/integrity/tamper-foodsafety.test.ts': 28,
  'test/e2e/home.test.ts': 26,
  'test/disclosure/real-months.test.ts': 22,
  'test/e2e/import-progress.test.ts': 21,
  'test/e2e/receiving.test.ts': 20,
  'test/integrity/tamper.test.ts': 19,
  'test/e2e/foundation.test.ts': 18,
  'test/integrity/disk-full.test.ts': 17,
  'test/core/monthclose-cli.test.ts': 14,
  'test/integrity/litter.test.ts': 13,
  'test/e2e/fees.test.ts': 12,
  'test/e2e/monthclose.test.ts': 11,
  'test/integrity/tamper-monthclose.test.ts': 10,
  'test/e2e/receiving-keyboard.test.ts': 9,
  'test/core/monthclose.test.ts': 9,
  'test/core/receiving-certs.test.ts': 9,
  'test/e2e/foodsafety.test.ts': 9,
  'test/e2e/upgrade-screen.test.ts': 8,
  'test/core/month-totals.test.ts': 8,
  'test/e2e/foodsafety-menus.test.ts': 8,
  'test/e2e/storeroom.test.ts': 7,
  'test/integrity/hostile-input.test.ts': 7,
  'test/core/centre.test.ts': 7,
  'test/shell/smoke-skip.test.ts': 7,
  'test/e2e/backup.test.ts': 6,
  'test/e2e/centre.test.ts': 6,
  'test/e2e/warm-pages.test.ts': 6,
  'test/e2e/fees-batch.test.ts': 6,
  'test/integrity/anchor.test.ts': 6,
  'test/e2e/progress.test.ts': 6,
  'test/core/home.test.ts': 6,
  'test/core/demo.test.ts': 5,
  'test/core/cli-files.test.ts': 5,
  'test/core/progress-cli.test.ts': 5,
  'test/core/foundation-db.test.ts': 5,
  'test/e2e/receiving-residue.test.ts': 5,
  'test/e2e/foodsafety-light-sample.test.ts': 5,
  'test/core/checklist-cli.test.ts': 4,
  'test/e2e/settings-profile.test.ts': 4,
  'test/e2e/reconcile.test.ts': 4,
  'test/integrity/verify-demo.test.ts': 4,
};

/**
 * Longest files first (issue 19, suite time). Vitest's own order runs the longest first only from its cache of an
 * earlier run on this machine; a fresh clone (CI) has none and falls back to the largest file first, so the
 * 141 s tamper suite (a short file) started at 224 s of a 418 s core run and the 47 s README test last, one worker
 * idle while the other finished them. Core and Chromium files share one group (vitest.config.ts) and are ordered
 * together; the base order is kept across groups and for the files not listed.
 */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const seconds = (s: TestSpecification) => CI_SECONDS[path.relative(s.project.config.root, s.moduleId).split(path.sep).join('/')] ?? 0;
    const group = (s: TestSpecification) => s.project.config.sequence.groupOrder;
    const rank = new Map(base.map((s, i) => [s, i]));
    // Stable within a group: listed files by their CI time, longest first, then the rest in the base order.
    return [...base].sort((a, b) => {
      if (group(a) !== group(b)) return rank.get(a)! - rank.get(b)!;
      return seconds(b) - seconds(a) || rank.get(a)! - rank.get(b)!;
    });
  }
}
