import type { VerifyAnchor } from '../../../../shared/anchors.ts';
import type { Db } from '../../db/open.ts';
import { auditHash, GENESIS_HASH, type AuditRow } from '../../ledger/audit.ts';
import { creatingActions, rowGroups, tableEntry } from '../../ledger/tables.ts';
import { canonical, digest16, journalDigest, parseJson, rowsDigest, snapshotTexts, type Add, type ChainState } from './common.ts';
import { DigestStore, keyOf, REPLAY } from './digest-store.ts';

/**
 * The audit chain: every entry linked to the one before by its hash, numbered without a gap, and — with a backup's
 * chain head as anchor — still holding that head. One walk also gathers what the later checks compare with: the state
 * each audited entity is in, the row snapshots of every registered group (ledger/tables.ts), the meal plans' rates,
 * each close's chain head and the school's profiles.
 */
export function walkChain(
  db: Db,
  anchor: { seq: number; hash: string; source: string } | null | undefined,
  add: Add,
  problemsSoFar: () => { kind: string }[],
  /** Entries walked of entries in all, every few thousand (progress on long work). */
  progress: (done: number, total: number) => void = () => {},
): ChainState & { backupAnchor: VerifyAnchor | null } {
  const groups = rowGroups();
  const creating = creatingActions();
  const chain: ChainState = { auditEntries: 0, states: new Map(), journal: new DigestStore(), historicalNames: new Map(), snapshots: new Map(), mealPlans: new Map(), closeEntries: new Map(), schoolProfiles: new Set() };
  // The journal's entries are the most numerous records: only a digest of each is held (journal.ts), not its state.
  const journalCode = tableEntry('journal_entries')?.entity?.code ?? 'journal_entry';
  const total = (db.prepare('SELECT max(seq) AS m FROM audit_log').get() as { m: number | null }).m ?? 0;
  // Each snapshot table's columns as they are now: snapshots are made comparable in that order (common.ts).
  const present = new Set((db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as { name: string }[]).map((x) => x.name));
  const tableCols = new Map<string, string[]>();
  for (const t of Object.keys(groups)) tableCols.set(t, present.has(t) ? db.prepare(`SELECT * FROM "${t}" LIMIT 0`).columns().map((c) => c.name) : []);
  const { states, historicalNames, snapshots, mealPlans, closeEntries, schoolProfiles } = chain;
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  let chainBroken = false;
  let anchorSeen = false;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    chain.auditEntries++;
    if ((chain.auditEntries & 4095) === 0) progress(Math.min(r.seq, total), total);
    if (!chainBroken) {
      let reason: string | null = null;
      if (r.seq !== expectSeq) reason = `审计记录第 ${expectSeq} 条缺失（疑似被直接删除）`;
      else if (r.prev_hash !== prev) reason = `审计记录第 ${r.seq} 条与上一条不衔接`;
      else if (auditHash(r) !== r.hash) reason = `审计记录第 ${r.seq} 条内容被改动`;
      if (reason) {
        chainBroken = true;
        add({ kind: 'audit_chain', seq: r.seq !== expectSeq ? expectSeq : r.seq, message: reason });
      }
    }
    if (anchor && r.seq === anchor.seq) {
      anchorSeen = true;
      if (r.hash !== anchor.hash) add({ kind: 'anchor', seq: r.seq, message: `审计记录第 ${r.seq} 条与备份 ${anchor.source} 中的不同（审计链被改写）` });
    }
    prev = r.hash;
    expectSeq = r.seq + 1;
    const after = parseJson(r.after);
    if (after && Array.isArray(after._rows)) {
      for (const snap of after._rows as { t?: unknown; g?: unknown; rows?: unknown; cols?: unknown; vals?: unknown }[]) {
        const col = typeof snap?.t === 'string' ? groups[snap.t] : undefined;
        const rows = col ? snapshotTexts(snap, snap.t as string, tableCols.get(snap.t as string) ?? [], col) : null;
        if (!col || !rows) continue;
        let m = snapshots.get(snap.t as string);
        if (!m) snapshots.set(snap.t as string, (m = new DigestStore()));
        if (snap.g !== undefined) m.set(keyOf(String(snap.g)), rowsDigest(rows.texts), r.seq, rows.texts.length);
        else for (const [i, text] of rows.texts.entries()) m.set(keyOf(rows.groups[i]), digest16(text), r.seq, 1);
      }
    }
    if (r.action === 'close' && r.entity === 'month_close' && r.entity_id !== null && after && typeof after.revision === 'number') {
      closeEntries.set(`${r.entity_id}#${after.revision}`, { seq: r.seq, prev: r.prev_hash });
    }
    if (r.entity === 'school' && after && after.profile && typeof after.profile === 'object') schoolProfiles.add(canonical(after.profile));
    if (r.entity === 'meal_plan' && r.action === 'update' && after && typeof after.code === 'string') {
      mealPlans.set(after.code, { seq: r.seq, row: { code: after.code, name: after.name, daily_rate_fen: after.dailyRateFen, updated_at: after.updatedAt, updated_by: r.user_id } });
    }
    if (r.entity_id === null || !creating[r.entity]) continue;
    if (r.entity === journalCode) {
      const key = keyOf(r.entity_id);
      const j = chain.journal.find(key);
      if (r.action === creating[r.entity]) {
        if (j >= 0) add({ kind: 'tamper', seq: r.seq, message: `审计记录第 ${r.seq} 条重复建立了已存在的记录 ${r.entity_id}` });
        chain.journal.set(key, journalDigest(after ?? {}, r.user_id), r.seq, 0);
      } else if (j >= 0 && r.action !== 'login') {
        // Entries never change a posted entry (a reversal is an entry of its own); if one did, journal.ts replays them.
        chain.journal.set(key, chain.journal.digest(j), r.seq, 0, REPLAY);
      }
      continue;
    }
    let m = states.get(r.entity);
    if (!m) states.set(r.entity, (m = new Map()));
    const s = m.get(r.entity_id);
    if (r.action === creating[r.entity]) {
      if (s) add({ kind: 'tamper', seq: r.seq, message: `审计记录第 ${r.seq} 条重复建立了已存在的记录 ${r.entity_id}` });
      m.set(r.entity_id, { seq: r.seq, createdSeq: r.seq, createdAt: r.at, createdBy: r.user_id, updatedAt: r.at, updatedBy: r.user_id, data: { ...(after ?? {}) } });
    } else if (s) {
      if (r.action !== 'login') {
        s.seq = r.seq;
        s.updatedAt = r.at;
        s.updatedBy = r.user_id;
        if (after) Object.assign(s.data, after);
      }
    }
    if ((r.entity === 'supplier' || r.entity === 'ingredient') && after && typeof after.name === 'string') {
      const key = `${r.entity}:${r.entity_id}`;
      if (!historicalNames.has(key)) historicalNames.set(key, new Set());
      historicalNames.get(key)!.add(after.name);
    }
  }
  let backupAnchor: VerifyAnchor | null = null;
  if (anchor) {
    if (!anchorSeen && anchor.seq > 0) {
      add({ kind: 'anchor', seq: anchor.seq, message: `备份 ${anchor.source} 中有第 ${anchor.seq} 条审计记录，当前账本中却没有（审计记录被截去）` });
    }
    const held = !problemsSoFar().some((p) => p.kind === 'anchor' || p.kind === 'audit_chain');
    backupAnchor = { kind: 'backup', source: anchor.source, ok: held, detail: held ? `审计记录第 1 至 ${anchor.seq} 条与该备份一致` : '审计记录与该备份不一致' };
  }
  return { ...chain, backupAnchor };
}

