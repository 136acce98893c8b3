import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { closeLastMonth } from '../../electron/core/demo/close.ts';
import { DEMO_STEPS, seedDemo } from '../../electron/core/demo/index.ts';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS } from '../../shared/labels-audit.ts';
import { tempLedger } from '../helpers/backend.ts';

/** The audit trail speaks Chinese (issue 15: 审计 showed close, submit, bank_statement, month_close) and filters by it. */
let t: ReturnType<typeof tempLedger>;
let b: Backend;
beforeAll(async () => {
  t = tempLedger();
  b = openBackend({ file: t.file, now: () => new Date(Date.UTC(2026, 10, 20, 2, 0, 0)) });
  await seedDemo(b, { steps: [...DEMO_STEPS, closeLastMonth({ approve: true })] });
  const r = await b.invoke('auth.login', { username: 'reviewer', password: 'demo-reviewer' });
  expect(r.ok).toBe(true);
}, 240_000);
afterAll(() => {
  b?.close();
  t?.cleanup();
});

describe('the audit vocabulary', () => {
  it('every action and entity the demo wrote has its Chinese label', () => {
    const rows = b.db.prepare('SELECT DISTINCT action, entity FROM audit_log').all() as { action: string; entity: string }[];
    const actions: Record<string, string> = AUDIT_ACTION_LABELS;
    const entities: Record<string, string> = AUDIT_ENTITY_LABELS;
    expect(rows.filter((r) => !actions[r.action] || !entities[r.entity])).toEqual([]);
    // The ones the issue saw raw.
    expect([actions.close, actions.submit, actions.bank_statement, entities.month_close]).toEqual(['月结锁定', '提交', '录入银行对账余额', '月结']);
  });

  it('audit.list filters by action and entity; an unknown code is refused in Chinese', async () => {
    const r = await b.invoke('audit.list', { entity: 'month_close', action: 'submit', limit: 50 });
    if (!r.ok) throw new Error(r.error.message);
    const v = r.value as { entries: { action: string; entity: string }[]; total: number };
    // October was submitted once by the accountant (demo close step).
    expect(v.total).toBe(1);
    expect(v.entries.map((e) => [e.action, e.entity])).toEqual([['submit', 'month_close']]);
    const bad = await b.invoke('audit.list', { action: 'shave' });
    expect(bad.ok ? null : bad.error.message).toContain('审计操作无效');
  });
});
