import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { closeLastMonth } from '../../electron/core/demo/close.ts';
import { DEMO_STEPS, seedDemo } from '../../electron/core/demo/index.ts';
import { allowed } from '../../renderer/src/session.ts';
import { matches } from '../../renderer/src/router.ts';
import { routes } from '../../renderer/src/routes.tsx';
import type { AttentionItem, HomeSummary } from '../../shared/api/audit.ts';
import type { Input, MethodName, Output } from '../../shared/api/index.ts';
import type { Role } from '../../shared/roles.ts';
import { tempLedger } from '../helpers/backend.ts';

/**
 * Homes by role (issue 15): on the demo school with last month closed and published, at Friday 2026-11-20 10:00 China
 * time, each demo account's home holds its own role's section only, the to-do list only the work of its role, and
 * every link (to-do, entry, line) opens a page routes.tsx lets that role open. The defect: a parent saw five 须处理
 * items, a cashier's overdue refund among them, and 去处理 led to '您的角色无权打开此页面'.
 */
const NOW = new Date(Date.UTC(2026, 10, 20, 2, 0, 0));
let t: ReturnType<typeof tempLedger>;
let b: Backend;

async function call<K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>> {
  const r = await b.invoke(name, input);
  if (!r.ok) throw new Error(`${name} rejected: ${JSON.stringify(r.error)}`);
  return r.value as Output<K>;
}
const login = (u: string) => call('auth.login', { username: u, password: `demo-${u}` });
async function homeOf(u: string): Promise<HomeSummary> {
  await login(u);
  return call('home.summary', {});
}

/** Every link on a home: to-do items, each entry's page, and each line under an entry. */
function links(h: HomeSummary): string[] {
  return [...h.attention.map((a) => a.link), ...h.sections.flatMap((s) => s.entries.flatMap((e) => [e.link, ...e.lines.map((l) => l.link)]))];
}

/** What the Shell does with an address: the longest matching route (query string aside), and whether the roles may open it. */
function opens(link: string, roles: readonly Role[]): boolean {
  const path = link.split('?')[0];
  const route = routes.filter((r) => matches(r.path, path)).sort((a, c) => c.path.length - a.path.length)[0];
  return route !== undefined && allowed(route.roles, roles);
}

beforeAll(async () => {
  t = tempLedger();
  b = openBackend({ file: t.file, now: () => NOW });
  await seedDemo(b, { steps: [...DEMO_STEPS, closeLastMonth({ approve: true })] });
}, 240_000);
afterAll(() => {
  b?.close();
  t?.cleanup();
});

const kinds = (items: AttentionItem[]) => [...new Set(items.map((i) => i.kind))].sort();

describe('each role’s home on the demo', { timeout: 60_000 }, () => {
  // Written out by hand from the issue: which figures each role's home shows, in this order.
  const ENTRIES: Record<string, [Role, string[]]> = {
    admin: ['admin', ['users', 'settings', 'backups']],
    storekeeper: ['storekeeper', ['deliveries_today', 'drafts', 'expiring_lots', 'food_samples', 'morning_checks', 'meal_followups', 'menus', 'count_due']],
    cashier: ['cashier', ['cash_today', 'receipts_today', 'refunds_due']],
    accountant: ['accountant', ['checklist', 'statements', 'payables']],
    reviewer: ['reviewer', ['submissions', 'flags', 'meal_duty']],
    parent: ['parent', ['notice', 'deliveries_week', 'prices_week', 'witness', 'menus_review']],
  };
  // The to-do kinds each role gets on the demo (an expired and a missing licence, a draft from yesterday, an overdue
  // refund): the storekeeper fixes suppliers and drafts, the cashier pays refunds, the accountant may do all three,
  // the admin keeps suppliers; the reviewer (who oversees licences and overdue refunds under 提醒) and the parent
  // have none.
  const TODO: Record<string, string[]> = {
    admin: ['licence'],
    storekeeper: ['delivery_draft', 'licence'],
    cashier: ['refund_overdue'],
    accountant: ['delivery_draft', 'licence', 'refund_overdue'],
    reviewer: [],
    parent: [],
  };

  for (const [user, [role, entries]] of Object.entries(ENTRIES)) {
    it(`${user}: one section of its own, its to-dos, and every link opens for ${role}`, async () => {
      const h = await homeOf(user);
      expect(h.sections.map((s) => s.role)).toEqual([role]);
      expect(h.sections[0].entries.map((e) => e.kind)).toEqual(entries);
      expect(kinds(h.attention)).toEqual(TODO[user]);
      expect(await call('home.attention', {})).toEqual(h.attention);
      const all = links(h);
      expect(all.length).toBeGreaterThan(entries.length - 1);
      expect(all.filter((l) => !opens(l, [role]))).toEqual([]);
    });
  }

  it('the parent: the published October notice, this week’s deliveries and prices, no staff to-dos', async () => {
    const h = await homeOf('parent');
    expect(h.attention).toEqual([]);
    const [notice, week, prices, witness] = h.sections[0].entries;
    expect(notice).toMatchObject({ label: '最近公示', value: '2026年10月', link: '/closing?month=2026-10', linkLabel: '查看并导出公示' });
    expect(week.label).toBe('本周验收');
    expect(week.detail).toMatch(/^2026-11-16 至 2026-11-20，合格金额 ¥/); // Monday to today
    expect(week.lines.every((l) => /^2026-11-(16|17|18|19|20) YS2026-\d{4} /.test(l.text) && l.link.startsWith('/receiving/'))).toBe(true);
    expect(prices.label).toBe('本周价格');
    expect(prices.lines.length).toBeGreaterThan(0);
    expect(prices.lines.every((l) => / 元\//.test(l.text))).toBe(true);
    expect(witness.label).toBe('可见证的事项');
  });

  it('the cashier: the overdue refund, today’s receipts and cash; no supplier or storeroom item', async () => {
    const h = await homeOf('cashier');
    expect(h.attention.map((a) => [a.severity, a.title, a.link])).toEqual([['error', '退费 TF2026-0003 逾期未退付：三(1)班 刘浩然 12.00 元', '/fees/refunds']]);
    const [cash, receipts, refunds] = h.sections[0].entries;
    expect([cash.label, receipts.label, refunds.label]).toEqual(['今日现金', '今日收据', '待退付的退费']);
    expect(refunds.value).toBe('1 笔');
    expect(refunds.lines.map((l) => [l.tone, l.text])).toEqual([['error', 'TF2026-0003 三(1)班 刘浩然 ¥12.00（逾期）']]);
  });

  it('a person with two roles sees both sections, and the to-dos of either', async () => {
    await login('admin');
    const u = await call('users.create', { username: 'dual', displayName: '双岗', roles: ['cashier', 'parent'], password: 'dual-pass-123' });
    await call('auth.login', { username: 'dual', password: 'dual-pass-123' });
    const h = await call('home.summary', {});
    expect(h.sections.map((s) => s.role)).toEqual(['cashier', 'parent']);
    expect(kinds(h.attention)).toEqual(['refund_overdue']);
    expect(links(h).filter((l) => !opens(l, ['cashier', 'parent']))).toEqual([]);
    await login('admin');
    await call('users.setDisabled', { id: u.id, disabled: true });
  });

  it('the reviewer sees a submitted month under 待审核, linked to that month', async () => {
    // Last month left ready to close (--closable): the accountant submits it, and it waits for the reviewer.
    const t2 = tempLedger();
    const b2 = openBackend({ file: t2.file, now: () => NOW });
    try {
      await seedDemo(b2, { steps: [...DEMO_STEPS, closeLastMonth({ approve: false })] });
      const as = async (u: string, name: 'monthclose.submit' | 'home.summary') => {
        expect((await b2.invoke('auth.login', { username: u, password: `demo-${u}` })).ok).toBe(true);
        const r = await b2.invoke(name, name === 'home.summary' ? {} : { month: '2026-10' });
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        return r.value as HomeSummary;
      };
      expect((await as('reviewer', 'home.summary')).sections[0].entries[0]).toMatchObject({ label: '待审核', value: '0 项', lines: [] });
      await as('accountant', 'monthclose.submit');
      const sub = (await as('reviewer', 'home.summary')).sections[0].entries[0];
      expect(sub).toMatchObject({ label: '待审核', value: '1 项', link: '/closing?month=2026-10' });
      expect(sub.lines).toEqual([{ text: '2026年10月月结（提交人 刘芳）待审核', link: '/closing?month=2026-10', tone: 'warning' }]);
      // The accountant's checklist is October's while it is not closed.
      const acc = (await as('accountant', 'home.summary')).sections[0].entries[0];
      expect(acc).toMatchObject({ label: '2026年10月月结检查清单', detail: '已提交，等待审核', link: '/closing?month=2026-10' });
    } finally {
      b2.close();
      t2.cleanup();
    }
  });

  it('the reviewer’s flags hold the overdue refund, linked to 退费', async () => {
    const h = await homeOf('reviewer');
    const flags = h.sections[0].entries[1];
    expect(flags.label).toBe('提醒');
    expect(h.attention).toEqual([]); // overseen, not the reviewer's to-dos
    expect(flags.lines.filter((l) => l.link.startsWith('/masterdata/suppliers/')).map((l) => l.text)).toEqual([
      '杭州西湖区三墩禽蛋经营部：食品经营许可证已过期',
      '浙江鲜丰肉类食品有限公司：食品生产许可证即将到期',
      '余杭兴农蔬菜专业合作社：缺少食品经营/生产许可证',
    ]);
    expect(flags.lines.find((l) => l.text === '退费 TF2026-0003 逾期未退付：三(1)班 刘浩然 12.00 元')).toEqual({ text: '退费 TF2026-0003 逾期未退付：三(1)班 刘浩然 12.00 元', link: '/fees/refunds', tone: 'error' });
  });
});
