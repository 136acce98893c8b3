import type { Ingredient, Licence, masterdataApi, Supplier } from '../../../shared/api/masterdata.ts';
import type { Category, CertKind, SupplierKind } from '../../../shared/domain.ts';
import { ApiError } from '../../../shared/errors.ts';
import { audit } from '../audit.ts';
import { currentUser, type Ctx } from '../context.ts';
import type { Handlers } from '../handlers.ts';
import { uuidv7 } from '../ids.ts';
import { likeContains, likePrefix, pinyinKeys } from '../pinyin.ts';

interface SupplierRow {
  id: string;
  name: string;
  credit_code: string;
  address: string;
  contact_person: string;
  phone: string;
  kind: SupplierKind;
  disabled: number;
  updated_at: string;
}
interface IngredientRow {
  id: string;
  name: string;
  category: Category;
  unit: string;
  spec: string;
  ref_price_fen: number | null;
  required_certs: string;
  banned: number;
  storable: number;
  disabled: number;
  updated_at: string;
}

function toSupplier(ctx: Ctx, r: SupplierRow): Supplier {
  const licences = ctx.db
    .prepare(`SELECT kind, number, expires_on AS expiresOn FROM supplier_licences WHERE supplier_id = ? ORDER BY kind`)
    .all(r.id) as Licence[];
  return {
    id: r.id,
    name: r.name,
    creditCode: r.credit_code,
    address: r.address,
    contactPerson: r.contact_person,
    phone: r.phone,
    kind: r.kind,
    licences,
    disabled: r.disabled === 1,
    updatedAt: r.updated_at,
  };
}

export function toIngredient(r: IngredientRow): Ingredient {
  return {
    id: r.id,
    name: r.name,
    category: r.category,
    unit: r.unit,
    spec: r.spec,
    refPriceFen: r.ref_price_fen,
    requiredCerts: JSON.parse(r.required_certs) as CertKind[],
    banned: r.banned === 1,
    storable: r.storable === 1,
    disabled: r.disabled === 1,
    updatedAt: r.updated_at,
  };
}

export function getSupplier(ctx: Ctx, id: string): Supplier {
  const r = ctx.db.prepare('SELECT * FROM suppliers WHERE id = ?').get(id) as SupplierRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该供应商');
  return toSupplier(ctx, r);
}

export function getIngredient(ctx: Ctx, id: string): Ingredient {
  const r = ctx.db.prepare('SELECT * FROM ingredients WHERE id = ?').get(id) as IngredientRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该食材');
  return toIngredient(r);
}

type SupplierInput = Omit<Supplier, 'id' | 'disabled' | 'updatedAt'> & { disabled?: boolean };
type IngredientInput = Omit<Ingredient, 'id' | 'disabled' | 'updatedAt'> & { disabled?: boolean };

function assertSupplierUnique(ctx: Ctx, s: SupplierInput, exceptId: string | null): void {
  const clash = ctx.db
    .prepare('SELECT name, credit_code FROM suppliers WHERE (name = ? OR credit_code = ?) AND id IS NOT ?')
    .get(s.name, s.creditCode, exceptId) as { name: string; credit_code: string } | undefined;
  if (clash?.name === s.name) throw new ApiError('CONFLICT', `已有名为“${s.name}”的供应商`);
  if (clash) throw new ApiError('CONFLICT', `统一社会信用代码 ${s.creditCode} 已属于供应商“${clash.name}”`);
}

function writeLicences(ctx: Ctx, supplierId: string, licences: Licence[]): void {
  ctx.db.prepare('DELETE FROM supplier_licences WHERE supplier_id = ?').run(supplierId);
  const ins = ctx.db.prepare('INSERT INTO supplier_licences (supplier_id, kind, number, expires_on) VALUES (?, ?, ?, ?)');
  for (const l of licences) ins.run(supplierId, l.kind, l.number, l.expiresOn);
}

/** Shared by the form and the .xlsx import, so both hold the same rules and leave the same audit trail. */
export function createSupplier(ctx: Ctx, s: SupplierInput): Supplier {
  assertSupplierUnique(ctx, s, null);
  const id = uuidv7(ctx.now().getTime());
  const at = ctx.now().toISOString();
  const by = currentUser(ctx).userId;
  const py = pinyinKeys(s.name);
  ctx.db
    .prepare(
      `INSERT INTO suppliers (id, origin, name, credit_code, address, contact_person, phone, kind, py_initials, py_full, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, ctx.installationId, s.name, s.creditCode, s.address, s.contactPerson, s.phone, s.kind, py.initials, py.full, at, by, at, by);
  writeLicences(ctx, id, s.licences);
  const created = getSupplier(ctx, id);
  audit(ctx, 'create', 'supplier', id, null, created);
  return created;
}

export function updateSupplier(ctx: Ctx, id: string, s: SupplierInput): Supplier {
  const before = getSupplier(ctx, id);
  assertSupplierUnique(ctx, s, id);
  const py = pinyinKeys(s.name);
  ctx.db
    .prepare(
      `UPDATE suppliers SET name = ?, credit_code = ?, address = ?, contact_person = ?, phone = ?, kind = ?, py_initials = ?, py_full = ?,
       disabled = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
    )
    .run(s.name, s.creditCode, s.address, s.contactPerson, s.phone, s.kind, py.initials, py.full, s.disabled ? 1 : 0, ctx.now().toISOString(), currentUser(ctx).userId, id);
  writeLicences(ctx, id, s.licences);
  const after = getSupplier(ctx, id);
  audit(ctx, 'update', 'supplier', id, before, after);
  return after;
}

function assertIngredientUnique(ctx: Ctx, i: IngredientInput, exceptId: string | null): void {
  if (ctx.db.prepare('SELECT 1 FROM ingredients WHERE name = ? AND spec = ? AND id IS NOT ?').get(i.name, i.spec, exceptId)) {
    throw new ApiError('CONFLICT', `已有食材“${i.name}${i.spec ? `（${i.spec}）` : ''}”`);
  }
}

export function createIngredient(ctx: Ctx, i: IngredientInput): Ingredient {
  assertIngredientUnique(ctx, i, null);
  const id = uuidv7(ctx.now().getTime());
  const at = ctx.now().toISOString();
  const by = currentUser(ctx).userId;
  const py = pinyinKeys(i.name);
  ctx.db
    .prepare(
      `INSERT INTO ingredients (id, origin, name, category, unit, spec, ref_price_fen, required_certs, banned, storable, py_initials, py_full, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, ctx.installationId, i.name, i.category, i.unit, i.spec, i.refPriceFen, JSON.stringify(i.requiredCerts), i.banned ? 1 : 0, i.storable ? 1 : 0, py.initials, py.full, at, by, at, by);
  const created = getIngredient(ctx, id);
  audit(ctx, 'create', 'ingredient', id, null, created);
  return created;
}

export function updateIngredient(ctx: Ctx, id: string, i: IngredientInput): Ingredient {
  const before = getIngredient(ctx, id);
  assertIngredientUnique(ctx, i, id);
  const py = pinyinKeys(i.name);
  ctx.db
    .prepare(
      `UPDATE ingredients SET name = ?, category = ?, unit = ?, spec = ?, ref_price_fen = ?, required_certs = ?, banned = ?, storable = ?,
       py_initials = ?, py_full = ?, disabled = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
    )
    .run(i.name, i.category, i.unit, i.spec, i.refPriceFen, JSON.stringify(i.requiredCerts), i.banned ? 1 : 0, i.storable ? 1 : 0, py.initials, py.full, i.disabled ? 1 : 0, ctx.now().toISOString(), currentUser(ctx).userId, id);
  const after = getIngredient(ctx, id);
  audit(ctx, 'update', 'ingredient', id, before, after);
  return after;
}

/**
 * Matches the name anywhere, or the pinyin initials / full pinyin from the start ("bc", "baic" → 白菜). Exact and
 * prefix matches sort first so the item a person means is the first row when they press Enter.
 */
function searchWhere(q: string): { where: string; params: unknown[]; rank: string; rankParams: unknown[] } {
  if (!q) return { where: '1', params: [], rank: 'NULL', rankParams: [] }; // a bare 0 would mean column 0
  const lower = q.toLowerCase();
  return {
    where: `(name LIKE ? ESCAPE '\\' OR py_initials LIKE ? ESCAPE '\\' OR py_full LIKE ? ESCAPE '\\')`,
    params: [likeContains(q), likePrefix(lower), likePrefix(lower)],
    rank: `CASE WHEN name = ? OR py_initials = ? THEN 0 WHEN name LIKE ? ESCAPE '\\' OR py_initials LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END`,
    rankParams: [q, lower, likePrefix(q), likePrefix(lower)],
  };
}

export const masterdataHandlers: Handlers<keyof typeof masterdataApi> = {
  'suppliers.search': (ctx, input) => {
    const s = searchWhere(input.q);
    const byCode = input.q ? ` OR credit_code LIKE ? ESCAPE '\\'` : '';
    const rows = ctx.db
      .prepare(
        `SELECT * FROM suppliers WHERE (${s.where}${byCode}) AND (? OR disabled = 0)
         ORDER BY ${s.rank}, length(name), py_full LIMIT ?`,
      )
      .all(...s.params, ...(input.q ? [likePrefix(input.q.toUpperCase())] : []), input.includeDisabled ? 1 : 0, ...s.rankParams, input.limit) as SupplierRow[];
    return rows.map((r) => toSupplier(ctx, r));
  },
  'suppliers.get': (ctx, input) => getSupplier(ctx, input.id),
  'suppliers.create': (ctx, input) => createSupplier(ctx, input),
  'suppliers.update': (ctx, { id, ...rest }) => updateSupplier(ctx, id, rest),

  'ingredients.search': (ctx, input) => {
    const s = searchWhere(input.q);
    const rows = ctx.db
      .prepare(
        `SELECT * FROM ingredients WHERE ${s.where} AND (? IS NULL OR category = ?) AND (? OR disabled = 0)
         ORDER BY ${s.rank}, length(name), py_full LIMIT ?`,
      )
      .all(...s.params, input.category ?? null, input.category ?? null, input.includeDisabled ? 1 : 0, ...s.rankParams, input.limit) as IngredientRow[];
    return rows.map(toIngredient);
  },
  'ingredients.get': (ctx, input) => getIngredient(ctx, input.id),
  'ingredients.create': (ctx, input) => createIngredient(ctx, input),
  'ingredients.update': (ctx, { id, ...rest }) => updateIngredient(ctx, id, rest),
};
