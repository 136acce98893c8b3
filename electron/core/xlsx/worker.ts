import { parentPort } from 'node:worker_threads';
import { ApiError } from '../../../shared/errors.ts';
import { parseSheet, type SheetAnswer, type SheetJob } from './read.ts';

/**
 * The worker thread in which xlsx.ts `readSheet` reads files, one at a time: each job gets one answer. Its heap and
 * time are limited by the caller, so a file that exhausts them ends this thread, not the process. Bundled by scripts/build.mjs as dist/electron/xlsx-worker.cjs (no
 * top-level await: the bundle is CommonJS).
 */
function answer(a: SheetAnswer): void {
  parentPort?.postMessage(a);
}

parentPort?.on('message', (job: SheetJob) => {
  parseSheet(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), job.maxRows).then(
    (sheet) => answer({ ok: true, sheet }),
    (e: unknown) =>
      answer(e instanceof ApiError ? { ok: false, code: e.code, message: e.message } : { ok: false, code: 'INTERNAL', message: `读取文件时出错：${(e as Error)?.message ?? String(e)}` }),
  );
});
