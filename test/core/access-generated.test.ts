import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessSource, GENERATED } from '../../scripts/gen-access.ts';
import { canCall } from '../../shared/access.generated.ts';

describe('shared/access.generated.ts (the renderer\'s copy of who may call what)', () => {
  it('is what the contract generates now (run `npm run gen:access` after changing access)', () => {
    expect(fs.readFileSync(GENERATED, 'utf8')).toBe(accessSource());
  });
  it('answers as the access matrix says', () => {
    expect(canCall('storeroom.issue', ['storekeeper'])).toBe(true);
    expect(canCall('storeroom.issue', ['cashier', 'accountant'])).toBe(false);
    expect(canCall('monthclose.approve', ['accountant'])).toBe(false);
    expect(canCall('monthclose.approve', ['accountant', 'reviewer'])).toBe(true);
    expect(canCall('school.get', ['parent'])).toBe(true);
    expect(canCall('receiving.statementSave', ['admin'])).toBe(false);
  });
});
