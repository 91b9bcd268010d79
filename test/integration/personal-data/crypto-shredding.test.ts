import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dropSchema, freshSchemaName, POSTGRES_URL } from '../../support/postgres';
import { cryptoShreddingContract } from './crypto-shredding.contract';

cryptoShreddingContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-shred-'));
  return { url: `sqlite:${path.join(dir, 'evidence.db')}`, dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
});

cryptoShreddingContract('postgres', async () => {
  const schema = freshSchemaName('shred');
  return { url: `${POSTGRES_URL}?schema=${schema}`, dispose: () => dropSchema(schema) };
});
