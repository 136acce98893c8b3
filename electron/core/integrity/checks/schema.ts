import { schemaDifferences } from '../../db/schema.ts';
import type { CheckContext } from './common.ts';

/**
 * The schema against the one the migrations build: a dropped or planted trigger, index, view or table changes no row
 * the checks before can see, but the rules every later write obeys (run after the rows, so a changed row is named first).
 */
export function checkSchema({ db, add }: CheckContext): void {
  for (const d of schemaDifferences(db)) add({ kind: 'schema', id: d.name, message: `数据库结构与本软件不一致：${d.message}` });
}
