import type { ApiResult } from '../../shared/errors.ts';
import type { UpgradeProgress, UpgradeResult } from '../core/db/upgrade.ts';
import { OPERATION_LABELS } from '../core/ledger/progress.ts';
import type { InvokeTarget } from './ipc.ts';

/**
 * A ledger of an older version at the app's start (issue 19): its backup and the migration ladder take minutes on
 * ten years of data, so they run in the jobs worker (core/jobs/run.ts runUpgradeJob) while the window is already open
 * and shows where they are. Until the backend is open the window talks to this screen: `start.kind` answers
 * 'upgrading', `start.upgrade` the upgrade's state (phase, step, how far, an estimate, the backup's file), and every
 * other call is refused in words. There is no cancel: each step is one transaction, but a ledger stopped between
 * steps is at a version no released program opens as its own, so the ladder always runs to its end.
 */
export interface UpgradeView {
  state: 'running' | 'done' | 'failed';
  label: string;
  from: number;
  to: number;
  phase: UpgradeProgress['phase'] | null;
  step: string;
  done: number;
  total: number;
  etaSeconds: number | null;
  /** The backup of the old version (from the start of its copy). */
  backupFile: string | null;
  cancellable: false;
  /** Why there is no 取消, in the window's words. */
  note: string;
  /** Why it failed (state 'failed'). */
  message: string | null;
}

export const UPGRADE_NOTE = '升级不能中途取消：每一步在一个事务中完成，停在两步之间的账本不能被任何版本的软件正常打开。升级前已自动备份原账本。';

export class UpgradeScreen {
  view: UpgradeView;
  constructor(pending: { from: number; to: number }) {
    this.view = {
      state: 'running',
      label: OPERATION_LABELS.migrate,
      from: pending.from,
      to: pending.to,
      phase: null,
      step: '准备中',
      done: 0,
      total: 0,
      etaSeconds: null,
      backupFile: null,
      cancellable: false,
      note: UPGRADE_NOTE,
      message: null,
    };
  }

  update(p: UpgradeProgress): void {
    if (this.view.state !== 'running') return;
    this.view = { ...this.view, phase: p.phase, step: p.step, done: p.done, total: p.total, etaSeconds: p.etaSeconds, backupFile: p.backupFile };
  }

  finish(r: UpgradeResult | null): void {
    this.view = { ...this.view, state: 'done', step: '完成', done: this.view.total, etaSeconds: 0, backupFile: r?.backupFile ?? this.view.backupFile };
  }

  fail(message: string): void {
    this.view = { ...this.view, state: 'failed', etaSeconds: null, message };
  }
}

/**
 * What the window's one channel talks to at start: the upgrade screen while the ledger is being upgraded, then the
 * backend (through the school/centre switch). `start.upgrade` keeps answering once it is over, so the page sees 'done'.
 */
export class StartDoor implements InvokeTarget {
  screen: UpgradeScreen | null = null;
  target: InvokeTarget | null = null;

  async invoke(name: string, input: unknown): Promise<ApiResult<unknown>> {
    if (name === 'start.upgrade') return this.screen ? { ok: true, value: this.screen.view } : { ok: true, value: null };
    if (this.target) return this.target.invoke(name, input);
    if (name === 'start.kind') return { ok: true, value: 'upgrading' };
    const failed = this.screen?.view.state === 'failed';
    return { ok: false, error: { code: 'LOCKED', message: failed ? `账本升级失败：${this.screen?.view.message ?? ''}` : '正在升级账本数据，完成后才能使用' } };
  }
}
