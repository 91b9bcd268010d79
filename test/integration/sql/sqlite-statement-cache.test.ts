/**
 * The statement cache on a real SQLite database: a statement is compiled once and reused, the cache
 * stays within its bound (least recently used out first), and a statement evicted is compiled again; a
 * LIMIT is written into the SQL (sqlLimit), since SQLite compiles again a statement whose bound LIMIT is bound.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { HUMAN_TASKS } from '../../../infra/projections/read-models';
import { selectPage, SQLITE_DIALECT } from '../../../infra/projections/read-model-sql';
import { sqlLimit } from '../../../infra/sql/sql-limit';
import { SqliteStatementCache } from '../../../infra/sql/sqlite-statement-cache';

let dir: string;
let db: Database.Database;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-statements-'));
  db = new Database(path.join(dir, 'cache.db'));
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the same SQL gives the same compiled statement, which runs with new parameters each time', () => {
  const cache = new SqliteStatementCache(db);
  const insert = cache.get('INSERT INTO t (k, v) VALUES (?, ?)');
  expect(cache.get('INSERT INTO t (k, v) VALUES (?, ?)')).toBe(insert);
  insert.run('a', 1);
  cache.get('INSERT INTO t (k, v) VALUES (?, ?)').run('b', 2);
  expect(cache.get('SELECT v FROM t WHERE k = ?').get('b')).toEqual({ v: 2 });
  expect(cache.get('SELECT v FROM t WHERE k = ?').get('a')).toEqual({ v: 1 });
  expect(cache.size).toBe(2);
});

test('past its bound the least recently used statement goes, and is compiled anew when asked for again', () => {
  const cache = new SqliteStatementCache(db, 2);
  const one = cache.get('SELECT 1');
  const two = cache.get('SELECT 2');
  expect(cache.get('SELECT 1')).toBe(one); // now the most recently used
  cache.get('SELECT 3'); // evicts SELECT 2
  expect(cache.size).toBe(2);
  expect(cache.get('SELECT 1')).toBe(one);
  const twoAgain = cache.get('SELECT 2');
  expect(twoAgain).not.toBe(two);
  expect(twoAgain.get()).toEqual({ '2': 2 });
});

test('a statement kept across a schema change still runs against the new schema', () => {
  const cache = new SqliteStatementCache(db);
  cache.get('INSERT INTO t (k, v) VALUES (?, ?)').run('a', 1);
  db.exec('DROP TABLE t; CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER, w TEXT)');
  cache.get('INSERT INTO t (k, v) VALUES (?, ?)').run('b', 2);
  expect(cache.get('SELECT k, v FROM t').all()).toEqual([{ k: 'b', v: 2 }]);
});

describe('LIMIT written into the SQL (sqlLimit), never bound: SQLite recompiles a statement whose bound LIMIT is bound again', () => {
  test('the count is a whole number of rows or refused, so the SQL carries nothing else', () => {
    expect(sqlLimit(0)).toBe('LIMIT 0');
    expect(sqlLimit(1001)).toBe('LIMIT 1001');
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expect(() => sqlLimit(bad)).toThrow(RangeError);
    expect(() => sqlLimit('1; DROP TABLE t' as unknown as number)).toThrow(RangeError);
  });

  test('a read-model page binds its conditions and cursor but writes its limit (one more row, to know whether more follow)', () => {
    const page = selectPage(SQLITE_DIALECT, HUMAN_TASKS, { where: [{ column: 'task_id', op: 'eq', value: 'T-1' }], limit: 2 }, '');
    expect(page.sql).toMatch(/ LIMIT 3$/);
    expect(page.sql).not.toMatch(/LIMIT \?/);
    expect(page.params).toEqual(['T-1']);
  });

  test('the same page read twice reuses one cached statement, which answers with its own rows each time', () => {
    const cache = new SqliteStatementCache(db);
    db.exec("INSERT INTO t (k, v) VALUES ('a', 1), ('b', 2), ('c', 3)");
    const sql = `SELECT k FROM t WHERE v >= ? ORDER BY k ${sqlLimit(2)}`;
    expect(cache.get(sql).all(1)).toEqual([{ k: 'a' }, { k: 'b' }]);
    expect(cache.get(sql).all(2)).toEqual([{ k: 'b' }, { k: 'c' }]);
    expect(cache.size).toBe(1);
  });
});
