import type { VerifyAnchor } from '../../../../shared/anchors.ts';
import type { Db } from '../../db/open.ts';
import { monthWords } from '../../ledger/clock.ts';
import { verifyClosedMonths } from '../../ledger/closed-months.ts';
import { figuresChecksum, type CloseFigures } from '../../ledger/month-figures.ts';
import type { Add, CheckContext } from './common.ts';

interface CloseCheck {
  month: string;
  revision: number;
  checksum: string;
  /** The close's audit entry, if the chain has one. */
  seq: number | null;
  ok: boolean;
}

/**
 * Closed months. Their figures recomputed from the ledger as it is now must give the checksum recorded at the close
 * (with the audit head of that moment), so a change to anything a closed month's disclosure shows is named. And every
 * close (of every revision) against the chain: its chain head must be the one just before its own audit entry, and its
 * recorded figures must hash, with that head, to its checksum. So a printed 校验码 pins the chain up to the close: a
 * chain rewritten before it (even one keeping the month's figures) no longer leads to that head. Each published
 * 校验码 given is then looked up among the closes (an outside anchor).
 */
export function checkClosedMonths(c: CheckContext, published: readonly string[]): void {
  const { db, tables, add } = c;
  const latest = tables.has('month_close_events') && tables.has('closed_periods') ? verifyClosedMonths(db) : [];
  for (const m of latest) {
    if (!m.ok) add({ kind: 'tamper', table: 'closed_periods', id: m.month, message: `已月结的 ${m.month} 月数据与月结时记录的校验值不符（第 ${m.revision} 次月结后被改动）` });
  }
  const closes = tables.has('month_close_events') ? checkCloseHeads(db, c.chain.closeEntries, new Set(latest.map((m) => `${m.month}#${m.revision}`)), add) : [];
  for (const p of published) c.anchors.push(publishedAnchor(p, closes, db, add));
}

/** Each close event's chain head and recorded figures; `checked`: latest closes already hashed. */
function checkCloseHeads(db: Db, entries: Map<string, { seq: number; prev: string }>, checked: Set<string>, add: Add): CloseCheck[] {
  const rows = db
    .prepare(`SELECT month, revision, figures, audit_head, checksum FROM month_close_events WHERE kind = 'close' ORDER BY seq`)
    .all() as { month: string; revision: number; figures: string | null; audit_head: string | null; checksum: string | null }[];
  return rows.map((ev) => {
    const key = `${ev.month}#${ev.revision}`;
    const entry = entries.get(key);
    const what = `${monthWords(ev.month)}第 ${ev.revision} 次月结`;
    let ok = true;
    if (!entry) {
      ok = false;
      add({ kind: 'audit_chain', table: 'month_close_events', id: ev.month, message: `${what}在审计记录中没有对应的审核记录（疑似被直接插入或审计记录被截去）` });
    } else if (entry.prev !== ev.audit_head) {
      ok = false;
      add({
        kind: 'audit_chain',
        table: 'month_close_events',
        id: ev.month,
        seq: entry.seq,
        message: `${what}记录的审计链头不是审计记录第 ${entry.seq - 1} 条（这次月结之前的审计记录被改写，公示的校验码已不能印证本账本）`,
      });
    }
    if (!checked.has(key)) {
      let hashes = false;
      try {
        hashes = ev.figures !== null && ev.audit_head !== null && figuresChecksum(JSON.parse(ev.figures) as CloseFigures, ev.audit_head) === ev.checksum;
      } catch {
        hashes = false;
      }
      if (!hashes) {
        ok = false;
        add({ kind: 'tamper', table: 'month_close_events', id: ev.month, message: `${what}记录的数据与其校验值不符（月结记录被改动）` });
      }
    }
    return { month: ev.month, revision: ev.revision, checksum: ev.checksum ?? '', seq: entry?.seq ?? null, ok };
  });
}

/** One published 校验码 against the closes the ledger carries. */
function publishedAnchor(given: string, closes: CloseCheck[], db: Db, add: Add): VerifyAnchor {
  const hex = given.toLowerCase();
  const shown = `${hex.slice(0, 16)}${hex.length > 16 ? '…' : ''}`;
  const c = closes.find((x) => x.checksum.startsWith(hex));
  if (!c) {
    add({ kind: 'anchor', id: hex, message: `公示校验码 ${shown} 不属于本账本的任何已月结月份（账本可能被改写或截断）` });
    return { kind: 'published', source: hex, ok: false, detail: '不属于本账本的任何已月结月份' };
  }
  const what = `${monthWords(c.month)}第 ${c.revision} 次月结`;
  if (!c.ok) {
    add({ kind: 'anchor', id: hex, message: `公示校验码 ${shown}（${what}）不能印证本账本：这次月结的记录与审计记录不符（账本可能被改写）` });
    return { kind: 'published', source: hex, ok: false, detail: `${what}，其记录与审计记录不符` };
  }
  const latest = db.prepare(`SELECT max(revision) AS r FROM month_close_events WHERE month = ? AND kind = 'close'`).get(c.month) as { r: number };
  const stillClosed = (db.prepare('SELECT 1 FROM closed_periods WHERE period = ?').get(c.month) as unknown) !== undefined;
  const later = latest.r !== c.revision || !stillClosed ? '，此后已反结账' : '';
  return { kind: 'published', source: hex, ok: true, detail: `${what}${later}：审计记录第 1 至 ${(c.seq ?? 1) - 1} 条与公示时一致` };
}
