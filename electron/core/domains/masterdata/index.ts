import type { Ingredient, Licence, masterdataApi, Supplier } from '../../../../shared/api/masterdata.ts';
import { defaultImported, defaultKind, effectiveCerts, ruleCerts, type CertRules } from '../../../../shared/cert-rules.ts';
import { CATEGORY_LABELS, CERT_LABELS, INGREDIENT_KIND_LABELS, type Category, type CertKind, type IngredientKind, type SupplierKind } from '../../../../shared/domain.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { DEFAULT_PROFILE } from '../../../../shared/profile.ts';
import { INGREDIENT_CLASSIFIERS, type Role } from '../../../../shared/roles.ts';
import { PACK_UNITS, type PackSizes } from '../../../../shared/units.ts';
import { audit } from '../../ledger/audit.ts';
import { currentUser, hasRole, type Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { likePrefix, pinyinKeys, pinyinSearchParams, pinyinSearchSql } from '../../ledger/pinyin.ts';
import { recentUse } from '../../ledger/recent-use.ts';
import { profileOf } from '../people/index.ts';

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
  kind: IngredientKind;
  imported: number;
  required_certs: string;
  pack_sizes: string;
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

/** The stored record: what the audit snapshots and verify compares (the certificates the rules add are not stored). */
export type IngredientRecord = Omit<Ingredient, 'ruleCerts' | 'effectiveCerts'>;

function toRecord(r: IngredientRow): IngredientRecord {
  return {
    id: r.id,
    name: r.name,
    category: r.category,
    unit: r.unit,
    spec: r.spec,
    refPriceFen: r.ref_price_fen,
    kind: r.kind,
    imported: r.imported === 1,
    requiredCerts: JSON.parse(r.required_certs) as CertKind[],
    packSizes: JSON.parse(r.pack_sizes) as PackSizes,
    banned: r.banned === 1,
    storable: r.storable === 1,
    disabled: r.disabled === 1,
    updatedAt: r.updated_at,
  };
}

function withCerts(rec: IngredientRecord, rules: CertRules): Ingredient {
  return { ...rec, ruleCerts: ruleCerts(rules, rec), effectiveCerts: effectiveCerts(rules, rec) };
}

/** The certificate rules in force (the national defaults before the first-run setup has stored a profile). */
export function certRulesOf(ctx: Ctx): CertRules {
  const row = ctx.db.prepare('SELECT profile FROM school').get() as { profile: string } | undefined;
  if (!row) return DEFAULT_PROFILE.certRules;
  return profileOf(ctx).certRules;
}

export function toIngredient(r: IngredientRow, rules: CertRules): Ingredient {
  return withCerts(toRecord(r), rules);
}

export function getSupplier(ctx: Ctx, id: string): Supplier {
  const r = ctx.db.prepare('SELECT * FROM suppliers WHERE id = ?').get(id) as SupplierRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该供应商');
  return toSupplier(ctx, r);
}

function ingredientRecord(ctx: Ctx, id: string): IngredientRecord {
  const r = ctx.db.prepare('SELECT * FROM ingredients WHERE id = ?').get(id) as IngredientRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该食材');
  return toRecord(r);
}

export function getIngredient(ctx: Ctx, id: string): Ingredient {
  return withCerts(ingredientRecord(ctx, id), certRulesOf(ctx));
}

type SupplierInput = Omit<Supplier, 'id' | 'disabled' | 'updatedAt'> & { disabled?: boolean };
type IngredientInput = Omit<IngredientRecord, 'id' | 'disabled' | 'updatedAt' | 'kind' | 'imported' | 'requiredCerts' | 'packSizes'> & {
  packSizes?: PackSizes;
  kind?: IngredientKind;
  imported?: boolean;
  requiredCerts?: CertKind[];
  disabled?: boolean;
};

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

/** Package sizes stored in the declared unit order, so equal sizes are equal text. */
function packSizesJson(p: PackSizes): string {
  return JSON.stringify(Object.fromEntries(PACK_UNITS.filter((u) => p[u]).map((u) => [u, p[u]])));
}

function assertIngredientUnique(ctx: Ctx, i: IngredientInput, exceptId: string | null): void {
  if (ctx.db.prepare('SELECT 1 FROM ingredients WHERE name = ? AND spec = ? AND id IS NOT ?').get(i.name, i.spec, exceptId)) {
    throw new ApiError('CONFLICT', `已有食材“${i.name}${i.spec ? `（${i.spec}）` : ''}”`);
  }
}

const certNames = (cs: readonly CertKind[]) => cs.map((c) => CERT_LABELS[c]).join('、') || '无';

/**
 * A new ingredient's kind and import: as given by the 管理员/会计; for the 食堂管理员, what its category and name imply
 * (defaultKind), or a kind that asks for at least as much under the rules in force, so creating 五花肉 as 肉禽蛋 still
 * needs the quarantine certificates and no new item can be made to need less than its category and name say.
 */
function classifyNew(ctx: Ctx, rules: CertRules, i: IngredientInput): { kind: IngredientKind; imported: boolean } {
  const requiredCerts = i.requiredCerts ?? [];
  const implied = { category: i.category, kind: defaultKind(i.category, i.name), imported: defaultImported(i.name, i.spec, requiredCerts) };
  const chosen = { category: i.category, kind: i.kind ?? implied.kind, imported: i.imported ?? implied.imported };
  if (hasAnyRole(ctx, INGREDIENT_CLASSIFIERS)) return chosen;
  const need = ruleCerts(rules, implied);
  const got = new Set(effectiveCerts(rules, { ...chosen, requiredCerts }));
  const lost = need.filter((c) => !got.has(c));
  if (lost.length) {
    throw new ApiError(
      'FORBIDDEN',
      `食材种类和“进口”只有管理员或会计可以设置：按类别（${CATEGORY_LABELS[i.category]}）和品名，“${i.name}”应按“${INGREDIENT_KIND_LABELS[implied.kind]}${implied.imported ? '、进口' : ''}”查验${certNames(need)}，所选的种类少了${certNames(lost)}`,
    );
  }
  return chosen;
}

function hasAnyRole(ctx: Ctx, roles: readonly Role[]): boolean {
  return roles.some((r) => hasRole(ctx, r));
}

export function createIngredient(ctx: Ctx, i: IngredientInput): Ingredient {
  assertIngredientUnique(ctx, i, null);
  const rules = certRulesOf(ctx);
  const { kind, imported } = classifyNew(ctx, rules, i);
  const id = uuidv7(ctx.now().getTime());
  const at = ctx.now().toISOString();
  const by = currentUser(ctx).userId;
  const py = pinyinKeys(i.name);
  ctx.db
    .prepare(
      `INSERT INTO ingredients (id, origin, name, category, unit, spec, ref_price_fen, kind, imported, required_certs, pack_sizes, banned, storable, py_initials, py_full, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, ctx.installationId, i.name, i.category, i.unit, i.spec, i.refPriceFen, kind, imported ? 1 : 0, JSON.stringify(i.requiredCerts ?? []), packSizesJson(i.packSizes ?? {}), i.banned ? 1 : 0, i.storable ? 1 : 0, py.initials, py.full, at, by, at, by);
  const created = ingredientRecord(ctx, id);
  audit(ctx, 'create', 'ingredient', id, null, created);
  return withCerts(created, rules);
}

/**
 * Category, kind, import and required certificates decide which certificates a delivery needs: only the 管理员/会计
 * change them (the 食堂管理员 who receives the goods edits the rest). Left out of an update, they stay as they are.
 */
export function updateIngredient(ctx: Ctx, id: string, i: IngredientInput): Ingredient {
  const before = ingredientRecord(ctx, id);
  assertIngredientUnique(ctx, i, id);
  const kind = i.kind ?? before.kind;
  const imported = i.imported ?? before.imported;
  const requiredCerts = i.requiredCerts ?? before.requiredCerts;
  if (!hasAnyRole(ctx, INGREDIENT_CLASSIFIERS)) {
    const changed = [
      i.category !== before.category ? `类别（${CATEGORY_LABELS[before.category]} → ${CATEGORY_LABELS[i.category]}）` : '',
      kind !== before.kind ? `种类（${INGREDIENT_KIND_LABELS[before.kind]} → ${INGREDIENT_KIND_LABELS[kind]}）` : '',
      imported !== before.imported ? `进口（${before.imported ? '是' : '否'} → ${imported ? '是' : '否'}）` : '',
      JSON.stringify([...requiredCerts].sort()) !== JSON.stringify([...before.requiredCerts].sort()) ? `所需证明（${certNames(before.requiredCerts)} → ${certNames(requiredCerts)}）` : '',
    ].filter(Boolean);
    if (changed.length) {
      throw new ApiError('FORBIDDEN', `食材的类别、种类、进口和所需证明决定验收时要查验哪些证明，只有管理员或会计可以修改：“${before.name}”的${changed.join('、')}未修改`);
    }
  }
  const py = pinyinKeys(i.name);
  ctx.db
    .prepare(
      `UPDATE ingredients SET name = ?, category = ?, unit = ?, spec = ?, ref_price_fen = ?, kind = ?, imported = ?, required_certs = ?, pack_sizes = ?, banned = ?, storable = ?,
       py_initials = ?, py_full = ?, disabled = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
    )
    .run(i.name, i.category, i.unit, i.spec, i.refPriceFen, kind, imported ? 1 : 0, JSON.stringify(requiredCerts), packSizesJson(i.packSizes ?? before.packSizes), i.banned ? 1 : 0, i.storable ? 1 : 0, py.initials, py.full, i.disabled ? 1 : 0, ctx.now().toISOString(), currentUser(ctx).userId, id);
  const after = ingredientRecord(ctx, id);
  audit(ctx, 'update', 'ingredient', id, before, after);
  return withCerts(after, certRulesOf(ctx));
}

/**
 * Matches the name, the pinyin initials or the full pinyin anywhere ("ly" → 杭州绿源…, "qc" → 青菜). Ranked so the
 * item a person means is the first row when they press Enter: the whole text is the name or a key; then the most used
 * at this school lately (recent-use.ts: posted delivery lines of the item, posted deliveries of the supplier, in the
 * last 90 days); then the earliest match; then the shorter name.
 */
const SUPPLIER_MATCH = pinyinSearchSql('s');
const INGREDIENT_MATCH = pinyinSearchSql('i');
/** Which items a search or a page of the catalogue holds, and their order: exact match, recent use, match position. */
const INGREDIENT_WHERE = `${INGREDIENT_MATCH.where} AND (@category IS NULL OR i.category = @category) AND (@all OR i.disabled = 0)`;
const INGREDIENT_ORDER = `${INGREDIENT_MATCH.exact} DESC, recent_use('ingredient', i.id) DESC, CASE WHEN @q = '' THEN 0 ELSE ${INGREDIENT_MATCH.position} END, length(i.name), i.py_full, i.id`;
function ingredientFilter(input: { q: string; category?: Category; includeDisabled: boolean }) {
  return { ...pinyinSearchParams(input.q), category: input.category ?? null, all: input.includeDisabled ? 1 : 0 };
}

export const masterdataHandlers: Handlers<keyof typeof masterdataApi> = {
  'suppliers.search': (ctx, input) => {
    recentUse(ctx);
    const rows = ctx.db
      .prepare(
        `SELECT s.* FROM suppliers s
         WHERE (${SUPPLIER_MATCH.where} OR s.credit_code LIKE @code ESCAPE '\\') AND (@all OR s.disabled = 0)
         ORDER BY ${SUPPLIER_MATCH.exact} DESC, recent_use('supplier', s.id) DESC, CASE WHEN @q = '' THEN 0 ELSE ${SUPPLIER_MATCH.position} END, length(s.name), s.py_full
         LIMIT @limit`,
      )
      .all({ ...pinyinSearchParams(input.q), code: input.q ? likePrefix(input.q.toUpperCase()) : '', all: input.includeDisabled ? 1 : 0, limit: input.limit }) as SupplierRow[];
    return rows.map((r) => toSupplier(ctx, r));
  },
  'suppliers.get': (ctx, input) => getSupplier(ctx, input.id),
  'suppliers.create': (ctx, input) => createSupplier(ctx, input),
  'suppliers.update': (ctx, { id, ...rest }) => updateSupplier(ctx, id, rest),

  'ingredients.search': (ctx, input) => {
    recentUse(ctx);
    const rows = ctx.db
      .prepare(`SELECT i.* FROM ingredients i WHERE ${INGREDIENT_WHERE} ORDER BY ${INGREDIENT_ORDER} LIMIT @limit`)
      .all({ ...ingredientFilter(input), limit: input.limit }) as IngredientRow[];
    const rules = certRulesOf(ctx);
    return rows.map((r) => toIngredient(r, rules));
  },
  // The catalogue a page at a time, in the search's order (the id last, so no item falls between two pages), with the
  // count of all that match: the 食材 page stopped at 500 of 5,067 items and said nothing of the rest.
  'ingredients.list': (ctx, input) => {
    recentUse(ctx);
    const filter = ingredientFilter(input);
    const { total } = ctx.db.prepare(`SELECT count(*) AS total FROM ingredients i WHERE ${INGREDIENT_WHERE}`).get(filter) as { total: number };
    const rows = ctx.db
      .prepare(`SELECT i.* FROM ingredients i WHERE ${INGREDIENT_WHERE} ORDER BY ${INGREDIENT_ORDER} LIMIT @limit OFFSET @offset`)
      .all({ ...filter, limit: input.pageSize, offset: (input.page - 1) * input.pageSize }) as IngredientRow[];
    const rules = certRulesOf(ctx);
    return { rows: rows.map((r) => toIngredient(r, rules)), total };
  },
  'ingredients.get': (ctx, input) => getIngredient(ctx, input.id),
  'ingredients.create': (ctx, input) => createIngredient(ctx, input),
  'ingredients.update': (ctx, { id, ...rest }) => updateIngredient(ctx, id, rest),
};
