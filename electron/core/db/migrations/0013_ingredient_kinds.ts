import type { Migration } from './index.ts';

/**
 * 索证索票 by rule (issue 14 §1): an ingredient's kind (畜肉, 猪肉, 禽肉, 鲜蛋, 水产品, 乳制品, 其他) and whether it is
 * imported, which the regional profile's certificate rules read (shared/cert-rules.ts). Until now the only thing that
 * made a line need 动物检疫合格证明 was the ingredient's own list, empty by default and clearable by the person who
 * receives.
 *
 * Existing rows get the kind their category and name imply, by the same rule a new item gets when no 管理员/会计 has
 * classified it (defaultKind in shared/cert-rules.ts, kept in step with the CASE below): 肉禽蛋 is 畜肉, 猪肉 when the
 * name says 猪, 禽肉 when it names poultry and not 蛋 (each needs the quarantine certificate, pork one more); eggs are
 * not guessed (鲜蛋 needs less, so a wrong guess would waive a certificate): an existing 鸡蛋 asks for the quarantine
 * certificate until the 会计 sets it to 鲜蛋. 水产 and 奶 take their own kinds, everything else 其他. Imported when the
 * name or spec says 进口 or the item already asks for the entry inspection certificate. Every guess can only add a
 * requirement. The audit entries written before carry no kind: verify reads the same rule for them.
 */
export const ingredientKinds: Migration = {
  name: '0013_ingredient_kinds',
  sql: `
ALTER TABLE ingredients ADD COLUMN kind TEXT NOT NULL DEFAULT 'other'
  CHECK (kind IN ('livestock','pork','poultry','eggs','aquatic','dairy','other'));
ALTER TABLE ingredients ADD COLUMN imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));

UPDATE ingredients SET
  kind = CASE
    WHEN category = 'meat' AND instr(name, '猪') > 0 THEN 'pork'
    WHEN category = 'meat' AND instr(name, '蛋') = 0
      AND (instr(name, '鸡') > 0 OR instr(name, '鸭') > 0 OR instr(name, '鹅') > 0 OR instr(name, '鸽') > 0 OR instr(name, '禽') > 0) THEN 'poultry'
    WHEN category = 'meat' THEN 'livestock'
    WHEN category = 'aquatic' THEN 'aquatic'
    WHEN category = 'dairy' THEN 'dairy'
    ELSE 'other'
  END,
  imported = CASE
    WHEN instr(name, '进口') > 0 OR instr(spec, '进口') > 0 THEN 1
    WHEN EXISTS (SELECT 1 FROM json_each(required_certs) WHERE value = 'import_inspection') THEN 1
    ELSE 0
  END;
`,
};
