import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { sha256Digest } from '../../../infra/content-store/content-rules';
import { openContentStore } from '../../../infra/content-store/open-content-store';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { contentStoreContract, TEST_LIMITS } from './content-store.contract';

contentStoreContract('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-content-'));
  const file = path.join(dir, 'evidence.db');
  // Beside the evidence: the same file the event store keeps.
  await (await openEventStore(`sqlite:${file}`)).close();
  return {
    open: () => openContentStore(`sqlite:${file}`, TEST_LIMITS),
    rowCount: async () => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM document_contents').get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

test('given a process killed while it stores content, when the store is opened again, then nothing of it is there and the content can be stored whole', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-content-crash-'));
  const file = path.join(dir, 'evidence.db');
  try {
    await (await openContentStore(`sqlite:${file}`, TEST_LIMITS)).close();
    const bytes = Buffer.alloc(1000, 66);
    const digest = sha256Digest(bytes);
    // The insert a put makes, killed (SIGKILL) before it commits: a crash mid-store.
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1]);
      db.pragma('journal_mode = WAL');
      db.exec('BEGIN IMMEDIATE');
      db.prepare('INSERT INTO document_contents (digest, content_type, size, bytes, stored_at) VALUES (?, ?, ?, ?, ?)')
        .run(process.argv[2], 'text/markdown', 1000, Buffer.alloc(1000, 66), new Date().toISOString());
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawnSync(process.execPath, ['-e', script, file, digest], { cwd: process.cwd() });
    expect(child.signal).toBe('SIGKILL');
    const store = await openContentStore(`sqlite:${file}`, TEST_LIMITS);
    try {
      expect(await store.head(digest)).toBeNull();
      expect(await store.put({ bytes, contentType: 'text/markdown', digest })).toMatchObject({ digest, created: true });
      expect((await store.get(digest))?.bytes.equals(bytes)).toBe(true);
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
