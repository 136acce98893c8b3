import type { ClearingStatus } from '../../../shared/api/fees.ts';
import type { MonthView } from '../../../shared/api/monthclose.ts';
import type { Reconciliation } from '../../../shared/api/receiving.ts';
import type { Backend } from '../../core/backend.ts';
import { EXIT_OK, type CliCommand, type CliContext } from '../command.ts';
import { monthArg } from './close-month.ts';

/**
 * 月结检查清单 on the command line: what is left before a month can be closed, and for each item the exact commands
 * that do it (with the ids and book figures filled in where the caller may read them). A clerk closing a month from
 * the CLI otherwise had to find about sixteen calls in a test fixture (issue 19).
 */
export const checklistCommand: CliCommand = {
  name: 'checklist',
  summary: '月结检查清单：还差哪些事，以及在命令行里怎样完成（含可直接运行的命令）；输出 JSON',
  usage: '--db 账本文件 --user 用户名 checklist YYYY-MM|this-month|last-month',
  async run(c) {
    const month = monthArg(c.positionals, 'checklist');
    const b = await c.open({ create: false });
    await c.login(b);
    const got = await b.invoke('monthclose.get', { month });
    if (!got.ok) return c.reject(got.error);
    const view = got.value as MonthView;
    const left = [];
    for (const i of view.checklist ?? []) {
      if (i.ok) continue;
      left.push({ item: i.label, detail: i.detail, missing: i.missing, how: await howTo(c, b, i.key, month, i.missing) });
    }
    const status = view.state.status;
    const next =
      status === 'closed'
        ? `${month} 已月结（版本 ${view.state.revision}），可导出：${cmd(c, '<任一用户>', `export-month ${month} --out 公示.xlsx`)}`
        : status === 'submitted'
          ? `已提交，等待审核人审核：${cmd(c, '<审核人>', `close-month ${month}`)}`
          : left.length === 0
            ? `清单已全部通过，会计提交月结：${cmd(c, '<会计>', `close-month ${month}`)}，再由审核人审核：${cmd(c, '<审核人>', `close-month ${month}`)}`
            : `先完成以下 ${left.length} 项，再由会计提交：${cmd(c, '<会计>', `close-month ${month}`)}`;
    await c.print({ month, status, ready: status === 'open' && left.length === 0, next, left });
    return EXIT_OK;
  },
};

/** A command line as the person would type it: the same ledger, a user with the role the step needs. */
function cmd(c: CliContext, user: string, rest: string): string {
  return `npx canteen --db ${quote(c.location().file)} --user ${user} ${rest}`;
}
function call(c: CliContext, user: string, method: string, input: unknown): string {
  return cmd(c, user, `call ${method} ${quote(JSON.stringify(input))}`);
}
function quote(s: string): string {
  return /^[\w./:@-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

async function read<T>(b: Backend, method: string, input: unknown): Promise<T | null> {
  const r = await b.invoke(method, input);
  return r.ok ? (r.value as T) : null;
}

async function howTo(c: CliContext, b: Backend, key: string, month: string, missing: string[]): Promise<string[]> {
  switch (key) {
    case 'earlier_months': {
      const first = /^(\d{4})年(\d+)月/.exec(missing[0] ?? '');
      const m = first ? `${first[1]}-${first[2].padStart(2, '0')}` : 'YYYY-MM';
      return [`先按月份顺序月结更早的月份，从 ${m} 开始：`, cmd(c, '<会计>', `checklist ${m}`)];
    }
    case 'cash_days': {
      const out = ['出纳或会计（不能是当天收款的人）逐日录入实点现金；countedFen 填实点金额（分），与账面不符时加 "reason"：'];
      for (const m of missing) {
        const date = m.slice(0, 10);
        const s = await read<ClearingStatus>(b, 'clearing.status', { date });
        out.push(call(c, '<出纳或会计>', 'clearing.confirm', { date, countedFen: s?.bookBalanceFen ?? 0 }) + (s ? `   # 账面 ${s.bookBalanceFen} 分` : ''));
      }
      return out;
    }
    case 'drafts':
      return [
        '每张草稿：检查通过后过账，或写明原因作废（草稿 id 见 receiving.list）：',
        cmd(c, '<食堂管理员>', `call receiving.list '{"status":"draft","from":"${month}-01","to":"${month}-31"}'`),
        call(c, '<食堂管理员>', 'receiving.post', { id: '<草稿id>' }),
        call(c, '<食堂管理员>', 'receiving.discard', { id: '<草稿id>', reason: '<作废原因>' }),
      ];
    case 'statements': {
      const out = ['会计按供应商寄来的对账单录入金额（totalFen，分）；下面的金额是本账验收合计，对账单与之不同时填对账单上的数并逐单录入 lines：'];
      const suppliers = new Map<string, string>();
      for (let offset = 0; ; offset += 1000) {
        const page = await read<{ rows: { supplierId: string; supplierName: string }[]; total: number }>(b, 'receiving.list', { status: 'posted', from: `${month}-01`, to: `${month}-31`, offset, limit: 1000 });
        if (!page) break;
        for (const r of page.rows) suppliers.set(r.supplierId, r.supplierName);
        if (offset + 1000 >= page.total) break;
      }
      for (const [supplierId, name] of suppliers) {
        if (!missing.some((m) => m.startsWith(`${name}：`))) continue;
        const r = await read<Reconciliation>(b, 'receiving.reconciliation', { supplierId, month });
        out.push(`${call(c, '<会计>', 'receiving.statementSave', { supplierId, month, totalFen: r?.ourTotalFen ?? 0 })}   # ${name}`);
      }
      return out;
    }
    case 'bank': {
      const view = await read<MonthView>(b, 'monthclose.get', { month });
      return [
        '会计录入银行对账单的月末余额（balanceFen，分，照对账单填写；下面填的是账面余额）：',
        ...(view?.bank ?? []).filter((l) => l.statementFen === null || l.differenceFen !== 0).map((l) => `${call(c, '<会计>', 'monthclose.setBankBalance', { month, account: l.account, balanceFen: l.bookFen })}   # ${l.label}`),
      ];
    }
    case 'storeroom':
      return [
        '食堂管理员月末盘点：开始盘点（生成账面数），逐批录入实盘数（lotId 见 countStart 的结果，差异需写原因），然后过账：',
        call(c, '<食堂管理员>', 'storeroom.countStart', { month }),
        call(c, '<食堂管理员>', 'storeroom.countEnter', { month, lines: [{ lotId: '<批次id>', countedMilli: 0, reason: null, note: '' }] }),
        call(c, '<食堂管理员>', 'storeroom.countPost', { month }),
      ];
    default:
      return ['在软件的“月结与公示”页处理此项'];
  }
}
