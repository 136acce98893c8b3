import type { CentreSchoolItemMapping } from '../../../shared/centre/api.ts';
import { ApiError } from '../../../shared/errors.ts';
import { rows, type Centre } from './db.ts';

/**
 * 食材对应 per school (centre schema 7, item_map_school): one school's item (name + spec, in its unit) compared under
 * another name and spec, before the town-wide mapping (item_map), which stays every other school's default — 丙校's
 * "大米" is its 东北大米 while every other school's 大米 is 大米 (or what item_map says). The views read a line as
 * the school's mapping, else the town's, else its own name (views.ts). One step, as item_map: the target is compared
 * as it is, so it may not itself be mapped (town-wide, or for this school). Mapping an item to itself is allowed only
 * where the town maps it: the school's item then stays under its own name.
 */

const named = (item: string, spec: string, unit: string) => `“${item}${spec ? `（${spec}）` : ''}”（${unit}）`;

export async function schoolItemMappings(c: Centre): Promise<CentreSchoolItemMapping[]> {
  const r = await rows(c.conn, 'SELECT m.*, s.name AS school_name FROM item_map_school m LEFT JOIN schools s ON s.code = m.school_code ORDER BY m.school_code, m.item, m.spec, m.unit');
  return r.map((x) => ({
    schoolCode: String(x.school_code), schoolName: x.school_name === null ? '' : String(x.school_name), item: String(x.item), spec: String(x.spec), unit: String(x.unit),
    toItem: String(x.to_item), toSpec: String(x.to_spec), mappedAt: String(x.mapped_at), mappedBy: String(x.mapped_by),
  }));
}

type Key = { schoolCode: string; item: string; spec: string; unit: string };

async function schoolName(c: Centre, code: string): Promise<string> {
  const s = (await rows(c.conn, 'SELECT name FROM schools WHERE code = ?', [code]))[0];
  if (!s) throw new ApiError('NOT_FOUND', `学校代码 ${code} 未在本中心登记`);
  return String(s.name);
}

export async function mapSchoolItem(c: Centre, m: Key & { toItem: string; toSpec: string }, by: string, now: Date): Promise<CentreSchoolItemMapping> {
  const name = await schoolName(c, m.schoolCode);
  const town = (await rows(c.conn, 'SELECT to_item, to_spec FROM item_map WHERE item = ? AND spec = ? AND unit = ?', [m.item, m.spec, m.unit]))[0];
  if (m.item === m.toItem && m.spec === m.toSpec && !town) throw new ApiError('VALIDATION', `${named(m.item, m.spec, m.unit)}全镇没有对应，本校不必对应到它自己`);
  if (m.item !== m.toItem || m.spec !== m.toSpec) {
    const targetTown = (await rows(c.conn, 'SELECT to_item, to_spec FROM item_map WHERE item = ? AND spec = ? AND unit = ?', [m.toItem, m.toSpec, m.unit]))[0];
    const targetSchool = (await rows(c.conn, 'SELECT to_item, to_spec FROM item_map_school WHERE school_code = ? AND item = ? AND spec = ? AND unit = ?', [m.schoolCode, m.toItem, m.toSpec, m.unit]))[0];
    const t = targetSchool ?? targetTown;
    if (t) throw new ApiError('CONFLICT', `${named(m.toItem, m.toSpec, m.unit)}本身已对应到${named(String(t.to_item), String(t.to_spec), m.unit)}，请直接对应到后者`);
    const isTarget = (await rows(c.conn, 'SELECT item, spec FROM item_map_school WHERE school_code = ? AND to_item = ? AND to_spec = ? AND unit = ? AND (item <> to_item OR spec <> to_spec) ORDER BY item, spec LIMIT 1', [m.schoolCode, m.item, m.spec, m.unit]))[0];
    if (isTarget) throw new ApiError('CONFLICT', `${name}的${named(String(isTarget.item), String(isTarget.spec), m.unit)}已对应到${named(m.item, m.spec, m.unit)}，它不能再对应到别的食材`);
  }
  await c.conn.run('INSERT OR REPLACE INTO item_map_school VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [m.schoolCode, m.item, m.spec, m.unit, m.toItem, m.toSpec, now.toISOString(), by]);
  return { ...m, schoolName: name, mappedAt: now.toISOString(), mappedBy: by };
}

export async function unmapSchoolItem(c: Centre, m: Key): Promise<void> {
  const name = await schoolName(c, m.schoolCode);
  const held = await rows(c.conn, 'SELECT 1 FROM item_map_school WHERE school_code = ? AND item = ? AND spec = ? AND unit = ?', [m.schoolCode, m.item, m.spec, m.unit]);
  if (!held.length) throw new ApiError('NOT_FOUND', `${name}的${named(m.item, m.spec, m.unit)}没有本校的对应关系`);
  await c.conn.run('DELETE FROM item_map_school WHERE school_code = ? AND item = ? AND spec = ? AND unit = ?', [m.schoolCode, m.item, m.spec, m.unit]);
}
