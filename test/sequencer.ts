import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds per file of the core project in a CI run on 2 cores (test-results/suite-times.txt, written by .ci/run;
 * 2026-12-03), for the files over 5 s. Update it from a new suite-times.txt when a file's time changes much; a file not
 * listed simply runs after these.
 */
const CI_SECONDS: Record<string, number> = {
  'test/integrity/tamper-domains.test.ts': 141,
  'test/integrity/crash.test.ts': 52,
  'test/packaging/readme.test.ts': 47,
  'test/core/cli.test.ts': 47,
  'test/disclosure/real-months.test.ts': 35,
  'test/integrity/tamper.test.ts': 27,
  'test/core/monthclose-cli.test.ts': 16,
  'test/integrity/disk-full.test.ts': 15,
  'test/integrity/tamper-foodsafety.test.ts': 14,
  'test/integrity/litter.test.ts': 12.5,
  'test/integrity/tamper-monthclose.test.ts': 11,
  'test/core/monthclose.test.ts': 10,
  'test/core/receiving-certs.test.ts': 9,
  'test/core/progress-cli.test.ts': 8.3,
  'test/core/month-totals.test.ts': 8.1,
  'test/integrity/hostile-input.test.ts': 8,
  'test/integrity/anchor.test.ts': 7.4,
  'test/shell/smoke-skip.test.ts': 7.1,
  'test/core/cli-files.test.ts': 6.3,
  'test/core/centre.test.ts': 5.2,
  'test/core/demo.test.ts': 5.2,
  'test/integrity/zip-bomb.test.ts': 5.1,
};

/**
 * Longest files first (issue 19, suite time). Vitest's own order runs the longest first only from its cache of an
 * earlier run on this machine; a fresh clone (CI) has none and falls back to the largest file first, so the
 * 141 s tamper suite (a short file) started at 224 s of a 418 s core run and the 47 s README test last, one worker
 * idle while the other finished them. The base order is kept for everything else: projects and their groupOrder (core
 * before e2e, never mixed), and the files not listed.
 */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const seconds = (s: TestSpecification) => CI_SECONDS[path.relative(s.project.config.root, s.moduleId).split(path.sep).join('/')] ?? 0;
    const group = (s: TestSpecification) => `${s.project.config.sequence.groupOrder}\u0000${s.project.name}`;
    const rank = new Map(base.map((s, i) => [s, i]));
    // Stable within a project: listed files by their CI time, longest first, then the rest in the base order.
    return [...base].sort((a, b) => {
      if (group(a) !== group(b)) return rank.get(a)! - rank.get(b)!;
      return seconds(b) - seconds(a) || rank.get(a)! - rank.get(b)!;
    });
  }
}
