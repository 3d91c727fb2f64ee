import { makeVector, vectorFromArray, Utf8 } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { columnValues } from '../../src/engine/arrow-columns';
import type { Database } from '../../src/engine/database';
import { openTestDatabase } from './helpers/duckdb';

const VALUES = ['C1', '客户 7', null, '', '😀x', 'é', 'Zoë–Ω', '𠮷野家'];

describe('columnValues (whole UTF-8 columns at once)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  }, 60_000);

  it('decodes a DuckDB VARCHAR column: ASCII, Chinese, 4-byte characters, empty strings and NULLs', async () => {
    const list = VALUES.map((v, i) => `(${i}, ${v === null ? 'NULL' : `'${v}'`})`).join(', ');
    const table = await db.query(`SELECT s FROM (VALUES ${list}) AS t(i, s) ORDER BY i`);
    expect(Array.from(columnValues(table.getChildAt(0)!))).toEqual(VALUES);
  });

  it('handles several batches and a sliced batch (offsets not starting at 0)', () => {
    const a = vectorFromArray(['ab', '中文', null], new Utf8());
    const b = vectorFromArray(['x', '😀', 'last'], new Utf8());
    const both = a.concat(b);
    expect(Array.from(columnValues(both))).toEqual(['ab', '中文', null, 'x', '😀', 'last']);
    const sliced = makeVector(both.data[1].slice(1, 2));
    expect(Array.from(columnValues(sliced))).toEqual(['😀', 'last']);
  });

  it('keeps a byte-order mark that starts the first value of a batch (the values after it stay aligned)', async () => {
    const table = await db.query(`SELECT id FROM (VALUES (chr(65279) || 'K1'), ('ｶ2'), ('ｷ3')) AS v(id) ORDER BY id`);
    expect(Array.from(columnValues(table.getChildAt(0)!))).toEqual(['\uFEFFK1', 'ｶ2', 'ｷ3']);
    expect(Array.from(columnValues(vectorFromArray(['\uFEFFC1', 'C2', 'C3'], new Utf8())))).toEqual(['\uFEFFC1', 'C2', 'C3']);
  });

  it('leaves other types to Arrow', () => {
    expect(columnValues(vectorFromArray(new Int32Array([3, 1, 2])))).toEqual(new Int32Array([3, 1, 2]));
  });
});
