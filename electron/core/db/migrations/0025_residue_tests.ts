import type { Migration } from './index.ts';

/**
 * 农残快检 at delivery (issue 17; docs/DOMAIN-RULES.md "农残快检"): the pesticide-residue quick test of one delivery
 * line — the method (GB/T 5009.199-2003: 酶抑制率法（分光光度法） with its inhibition rate, or 速测卡法（纸片法） read as
 * 阴性/阳性), the result, who tested and at what time of the delivery day. The rate is kept in tenths of a percent
 * (62.5 % → 625). For the enzyme method the result follows from the rate (≥ 50 % is 阳性, 不合格), held here again.
 *
 * A test belongs to its line of the delivery draft and is frozen with it when the delivery posts, as the lines and the
 * inspectors are; a posted delivery whose failed test's line is not wholly rejected as 农残快检不合格 is refused.
 */
export const residueTests: Migration = {
  name: '0025_residue_tests',
  sql: `
CREATE TABLE delivery_residue_tests (
  delivery_id TEXT NOT NULL,
  line_no INTEGER NOT NULL CHECK (line_no BETWEEN 1 AND 200),
  method TEXT NOT NULL CHECK (method IN ('enzyme_inhibition','test_card')),
  inhibition_tenths INTEGER CHECK (inhibition_tenths IS NULL OR inhibition_tenths BETWEEN 0 AND 1000),
  result TEXT NOT NULL CHECK (result IN ('pass','fail')),
  tester TEXT NOT NULL CHECK (length(trim(tester)) BETWEEN 1 AND 30),
  tested_time TEXT NOT NULL CHECK (tested_time GLOB '[0-2][0-9]:[0-5][0-9]' AND tested_time <= '23:59'),
  PRIMARY KEY (delivery_id, line_no),
  FOREIGN KEY (delivery_id, line_no) REFERENCES delivery_lines (delivery_id, line_no),
  CHECK (method <> 'enzyme_inhibition' OR (inhibition_tenths IS NOT NULL AND result = CASE WHEN inhibition_tenths >= 500 THEN 'fail' ELSE 'pass' END)),
  CHECK (method <> 'test_card' OR inhibition_tenths IS NULL)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER delivery_residue_tests_frozen_insert BEFORE INSERT ON delivery_residue_tests
WHEN (SELECT status FROM deliveries WHERE id = NEW.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改农残快检记录'); END;
CREATE TRIGGER delivery_residue_tests_frozen_update BEFORE UPDATE ON delivery_residue_tests
WHEN (SELECT status FROM deliveries WHERE id = OLD.delivery_id) IS NOT 'draft' OR (SELECT status FROM deliveries WHERE id = NEW.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改农残快检记录'); END;
CREATE TRIGGER delivery_residue_tests_frozen_delete BEFORE DELETE ON delivery_residue_tests
WHEN (SELECT status FROM deliveries WHERE id = OLD.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改农残快检记录'); END;

-- Posting holds the rule again: a line whose quick test failed is rejected in whole, for that reason.
CREATE TRIGGER deliveries_residue_failed_rejected BEFORE UPDATE OF status ON deliveries
WHEN OLD.status = 'draft' AND NEW.status = 'posted' AND EXISTS (
  SELECT 1 FROM delivery_residue_tests t JOIN delivery_lines l ON l.delivery_id = t.delivery_id AND l.line_no = t.line_no
  WHERE t.delivery_id = NEW.id AND t.result = 'fail' AND (l.accepted_milli > 0 OR instr(l.reject_reason, '农残快检不合格') = 0))
BEGIN SELECT RAISE(ABORT, '农残快检不合格的明细应全部拒收，拒收原因为农残快检不合格'); END;
`,
};
