import { defaultImported, defaultKind } from '../../../../shared/cert-rules.ts';
import type { Category, CertKind } from '../../../../shared/domain.ts';
import { pinyinKeys } from '../../ledger/pinyin.ts';
import { tableEntry } from '../../ledger/tables.ts';
import { passwordDigest } from '../verify-digest.ts';
import { canonical, parseJson, type CheckContext, type EntityState, type Row } from './common.ts';
import { RowComparer } from './row-comparer.ts';

/**
 * The tables checked entity by entity (registry check 'entity'): each row against the state its audit entries give it,
 * column by column, with the child rows its entries list (roles, licences). Their entries carry the record in the
 * API's words, not row snapshots, so each table's columns are said here; the journal is journal.ts.
 */

type Compare = (cmp: RowComparer, row: Row, s: EntityState & { updatedSeq: number }, id: string, installation: string | null) => void;

/** Columns holding a field of the entity's entries as it is (column → field of `after`), compared in this order. */
function fields(cmp: RowComparer, row: Row, d: Record<string, unknown>, map: Record<string, string>): void {
  for (const [col, key] of Object.entries(map)) cmp.eq(row, col, d[key]);
}

/** Updated and created by whom and when, as a master-data record's entries say it (its `after` carries updatedAt). */
function stamps(cmp: RowComparer, row: Row, s: EntityState): void {
  cmp.eq(row, 'updated_at', s.data.updatedAt);
  cmp.eq(row, 'updated_by', s.updatedBy);
  cmp.time(row, 'created_at', s.createdAt);
  cmp.eq(row, 'created_by', s.createdBy);
  const py = typeof s.data.name === 'string' ? pinyinKeys(s.data.name) : { initials: null, full: null };
  cmp.eq(row, 'py_initials', py.initials);
  cmp.eq(row, 'py_full', py.full);
}

const COMPARE: Record<string, Compare> = {
  school: (cmp, row, s, _id, installation) => {
    cmp.eq(row, 'name', s.data.name);
    cmp.eq(row, 'origin', installation);
    if (canonical(parseJson(row.profile as string)) !== canonical(s.data.profile)) cmp.diff(row, 'profile');
    cmp.time(row, 'created_at', s.createdAt);
    cmp.eq(row, 'created_by', s.createdBy);
    cmp.time(row, 'updated_at', s.updatedAt);
    cmp.eq(row, 'updated_by', s.updatedSeq === s.createdSeq ? null : s.updatedBy);
  },
  users: (cmp, row, s, id, installation) => {
    cmp.eq(row, 'username', s.data.username);
    cmp.eq(row, 'origin', installation);
    cmp.eq(row, 'display_name', s.data.displayName);
    cmp.eq(row, 'disabled', s.data.disabled === true ? 1 : 0);
    cmp.time(row, 'created_at', s.createdAt);
    cmp.eq(row, 'created_by', s.createdBy ?? id);
    cmp.time(row, 'updated_at', s.updatedAt);
    cmp.eq(row, 'updated_by', s.updatedBy ?? id);
    // Ledgers written before password digests were audited have none: their password hashes cannot be checked.
    if (typeof s.data.passwordDigest === 'string' && (typeof row.password_hash !== 'string' || passwordDigest(row.password_hash) !== s.data.passwordDigest)) cmp.diff(row, 'password_hash');
  },
  suppliers: (cmp, row, s, _id, installation) => {
    const d = s.data;
    fields(cmp, row, d, { name: 'name', credit_code: 'creditCode' });
    cmp.eq(row, 'origin', installation);
    fields(cmp, row, d, { address: 'address', contact_person: 'contactPerson', phone: 'phone', kind: 'kind' });
    cmp.eq(row, 'disabled', d.disabled === true ? 1 : 0);
    stamps(cmp, row, s);
  },
  ingredients: (cmp, row, s, _id, installation) => {
    const d = s.data;
    fields(cmp, row, d, { name: 'name', category: 'category' });
    cmp.eq(row, 'origin', installation);
    fields(cmp, row, d, { unit: 'unit', spec: 'spec' });
    cmp.eq(row, 'ref_price_fen', d.refPriceFen ?? null);
    if (canonical(parseJson(`{"v":${String(row.required_certs)}}`)?.v ?? null) !== canonical(d.requiredCerts ?? null)) cmp.diff(row, 'required_certs');
    // Kind and import (migration 0013): entries written before carry neither; the migration set them by the rule a new
    // unclassified item follows, from the name, category, spec and list those entries hold.
    const name = typeof d.name === 'string' ? d.name : '';
    cmp.eq(row, 'kind', typeof d.kind === 'string' ? d.kind : defaultKind(d.category as Category, name));
    const imported = typeof d.imported === 'boolean' ? d.imported : defaultImported(name, typeof d.spec === 'string' ? d.spec : '', Array.isArray(d.requiredCerts) ? (d.requiredCerts as CertKind[]) : []);
    cmp.eq(row, 'imported', imported ? 1 : 0);
    // Package sizes (migration 0023): entries written before carry none, and the migration set '{}'.
    if (canonical(parseJson(String(row.pack_sizes))) !== canonical(d.packSizes && typeof d.packSizes === 'object' ? d.packSizes : {})) cmp.diff(row, 'pack_sizes');
    cmp.eq(row, 'banned', d.banned === true ? 1 : 0);
    cmp.eq(row, 'storable', d.storable === true ? 1 : 0);
    cmp.eq(row, 'disabled', d.disabled === true ? 1 : 0);
    stamps(cmp, row, s);
  },
};

/** The child rows an entity's entries list, as comparable values per parent. */
const CHILDREN: Record<string, (c: CheckContext, cmp: RowComparer, exp: Map<string, EntityState>) => void> = {
  user_roles: ({ db, covered }, cmp, exp) => {
    const roles = db.prepare('SELECT user_id, role FROM user_roles ORDER BY user_id, role').all() as { user_id: string; role: string }[];
    covered.user_roles = roles.length;
    cmp.children('user_roles', 'users', roles, (r) => r.user_id, (r) => r.role, exp, (s) => [...((s.data.roles as string[]) ?? [])].sort());
  },
  supplier_licences: ({ db, covered }, cmp, exp) => {
    const lic = db.prepare('SELECT supplier_id, kind, number, expires_on FROM supplier_licences ORDER BY supplier_id, kind').all() as Row[];
    covered.supplier_licences = lic.length;
    cmp.children(
      'supplier_licences',
      'suppliers',
      lic,
      (r) => String(r.supplier_id),
      (r) => canonical({ kind: r.kind, number: r.number, expiresOn: r.expires_on }),
      exp,
      (s) => ((s.data.licences as Row[]) ?? []).map((l) => canonical({ kind: l.kind, number: l.number, expiresOn: l.expiresOn ?? null })).sort(),
    );
  },
};

/** The installation that wrote the records: until ledgers are merged, this one. */
export function installationOf(c: CheckContext): string | null {
  return c.tables.has('installation') ? ((c.db.prepare('SELECT id FROM installation LIMIT 1').get() as { id: string } | undefined)?.id ?? null) : null;
}

/** School, users, suppliers, ingredients (the journal has its own check) and the child rows they list. */
export function checkEntities(c: CheckContext): void {
  const cmp = new RowComparer(c.add);
  const installation = installationOf(c);
  for (const [table, compare] of Object.entries(COMPARE)) {
    const entity = tableEntry(table)?.entity;
    if (!c.tables.has(table) || !entity) continue;
    const exp = c.chain.states.get(entity.code) ?? new Map<string, EntityState>();
    const rows = c.db.prepare(`SELECT * FROM "${table}"`).all() as Row[];
    c.covered[table] = rows.length;
    cmp.table(table, rows, exp, (row, s, id) => compare(cmp, row, s, id, installation));
    for (const [child, check] of Object.entries(CHILDREN)) if (tableEntry(child)?.parent === table) check(c, cmp, exp);
  }
}
