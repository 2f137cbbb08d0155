/** docs/backtesting.md states the defaults the code uses (its flag table is what traders read). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GAP_MODE } from '../../../src/core/api/schemas.ts';

const doc = readFileSync(
  fileURLToPath(new URL('../../../docs/backtesting.md', import.meta.url)),
  'utf8',
);

/** The default column of the flag table's row whose flag cell contains `flag`. */
function tableDefault(flag: string): string {
  const row = doc.split('\n').find((l) => l.startsWith('|') && l.split('|')[1]!.includes(flag));
  if (!row) throw new Error(`no row for ${flag} in the flag table`);
  const cells = row.split('|').map((c) => c.trim());
  return cells[cells.length - 2]!;
}

describe('docs/backtesting.md defaults', () => {
  it('the --gaps row names the default gap mode of the code', () => {
    expect(tableDefault('`--gaps keep')).toBe(`\`${DEFAULT_GAP_MODE}\``);
  });
});
