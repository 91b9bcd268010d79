/**
 * Recording replay fixtures never overwrites a committed one by accident: only AIMS_RERECORD=1 replaces it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FixtureExistsError, fixtureFolders, RECORDING_ERA, writeHistoryFixture } from '../../support/history-fixtures';

describe('writeHistoryFixture', () => {
  let root: string;
  const file = () => path.join(root, 'nonconformity', RECORDING_ERA, 'breach-to-closure.json');

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-fixtures-'));
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('given no AIMS_RECORD_HISTORIES, when asked to record, then it writes nothing', () => {
    expect(writeHistoryFixture('nonconformity', 'breach-to-closure', { events: [1] }, root, {})).toBe(false);
    expect(fs.existsSync(file())).toBe(false);
  });

  it('given a new case, when recorded, then the fixture is written in the recording era', () => {
    expect(writeHistoryFixture('nonconformity', 'breach-to-closure', { events: [1] }, root, { AIMS_RECORD_HISTORIES: '1' })).toBe(true);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({ events: [1] });
    expect(fixtureFolders(root)).toEqual([
      { workflow: 'nonconformity', era: RECORDING_ERA, dir: path.dirname(file()), files: ['breach-to-closure.json'], strays: [] },
    ]);
  });

  it('given an existing fixture, when recorded again without AIMS_RERECORD, then it refuses with how to re-record, and the fixture is unchanged', () => {
    writeHistoryFixture('nonconformity', 'breach-to-closure', { events: [1] }, root, { AIMS_RECORD_HISTORIES: '1' });
    const again = () => writeHistoryFixture('nonconformity', 'breach-to-closure', { events: [2] }, root, { AIMS_RECORD_HISTORIES: '1' });
    expect(again).toThrow(FixtureExistsError);
    expect(again).toThrow(/breach-to-closure\.json already exists.*AIMS_RERECORD=1/s);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({ events: [1] });
  });

  it('given an existing fixture, when recorded again with AIMS_RERECORD=1, then it is replaced', () => {
    writeHistoryFixture('nonconformity', 'breach-to-closure', { events: [1] }, root, { AIMS_RECORD_HISTORIES: '1' });
    const env = { AIMS_RECORD_HISTORIES: '1', AIMS_RERECORD: '1' };
    expect(writeHistoryFixture('nonconformity', 'breach-to-closure', { events: [2] }, root, env)).toBe(true);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({ events: [2] });
  });
});
