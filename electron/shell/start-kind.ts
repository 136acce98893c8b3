import fs from 'node:fs';
import path from 'node:path';
import type { ApiResult } from '../../shared/errors.ts';
import type { DataLocation } from './data-location.ts';
import { flagValue } from './data-location.ts';
import type { InvokeTarget } from './ipc.ts';

/**
 * A school ledger or a town centre's database (issue 18). The same app opens either; which one is decided here:
 *   --centre FILE or CANTEEN_CENTRE        that centre database (made at the first run if missing)
 *   a data folder holding centre.duckdb    that centre (unless --db / CANTEEN_DB name a ledger file)
 *   otherwise                              the school ledger, as before.
 * At the very first run (a ledger not yet set up, no centre beside it) the page asks which this computer is for
 * (`start.kind` answers 'choose'); choosing the centre closes the empty ledger and makes centre.duckdb in the data
 * folder, which every later start then opens. The empty ledger.sqlite is left where it is (nothing in it).
 */
export const CENTRE_FILE = 'centre.duckdb';

type Env = Record<string, string | undefined>;

/** The centre file to open at start, or null for the school ledger. */
export function centreFileAtStart(location: DataLocation, argv: readonly string[], env: Env): string | null {
  const named = flagValue(argv, 'centre') ?? env.CANTEEN_CENTRE ?? null;
  if (named) return path.resolve(named);
  if (location.source === 'db-flag' || location.source === 'db-env') return null;
  const beside = path.join(location.dataDir, CENTRE_FILE);
  return fs.existsSync(beside) ? beside : null;
}

type Kind = 'school' | 'centre' | 'choose';

/**
 * The IPC target: the backend in use, and the two start questions. `start.kind` says what is open ('choose' while a
 * fresh ledger could still become a centre); `start.choose` makes the choice: 'school' keeps the ledger, 'centre'
 * calls `toCentre` (which closes the ledger and opens the centre) and routes every later call there. Both are
 * answered only before the ledger is set up, so a school's ledger is never swapped away.
 */
export class StartSwitch implements InvokeTarget {
  private target: InvokeTarget;
  private kind: Kind;
  private chosen = false;
  private readonly toCentre: () => Promise<InvokeTarget>;
  constructor(initial: { kind: 'school' | 'centre'; target: InvokeTarget }, toCentre: () => Promise<InvokeTarget>) {
    this.target = initial.target;
    this.kind = initial.kind;
    this.toCentre = toCentre;
  }

  get current(): Kind {
    return this.kind;
  }

  async invoke(name: string, input: unknown): Promise<ApiResult<unknown>> {
    if (name === 'start.kind') return { ok: true, value: this.kind === 'school' && !this.chosen && !(await this.schoolSetUp()) ? 'choose' : this.kind };
    if (name === 'start.choose') return this.choose(input);
    return this.target.invoke(name, input);
  }

  private async schoolSetUp(): Promise<boolean> {
    const r = await this.target.invoke('setup.status', {});
    return !r.ok || Boolean((r.value as { initialized?: boolean }).initialized);
  }

  private async choose(input: unknown): Promise<ApiResult<unknown>> {
    const kind = typeof input === 'object' && input !== null ? (input as { kind?: unknown }).kind : undefined;
    if (kind !== 'school' && kind !== 'centre') return { ok: false, error: { code: 'VALIDATION', message: '请选择：学校食堂账本或镇教育管理中心' } };
    if (this.kind !== 'school' || this.chosen || (await this.schoolSetUp())) return { ok: false, error: { code: 'CONFLICT', message: '已经选定，不能再改' } };
    if (kind === 'school') {
      this.chosen = true;
      return { ok: true, value: 'school' };
    }
    try {
      this.target = await this.toCentre();
    } catch (e) {
      return { ok: false, error: { code: 'INTERNAL', message: `无法建立中心数据库：${(e as Error)?.message ?? String(e)}` } };
    }
    this.kind = 'centre';
    this.chosen = true;
    return { ok: true, value: 'centre' };
  }
}
