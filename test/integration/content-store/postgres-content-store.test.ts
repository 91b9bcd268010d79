import { Client } from 'pg';
import { openContentStore } from '../../../infra/content-store/open-content-store';
import { dropSchema, freshSchemaName, POSTGRES_URL } from '../../support/postgres';
import { contentStoreContract, TEST_LIMITS } from './content-store.contract';

/** Each harness gets its own schema, dropped afterwards. */
contentStoreContract('PostgreSQL', async () => {
  const schema = freshSchemaName('content');
  return {
    open: () => openContentStore(`${POSTGRES_URL}?schema=${schema}`, TEST_LIMITS),
    rowCount: async () => {
      const client = new Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        return Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".document_contents`)).rows[0]?.n ?? 0);
      } finally {
        await client.end();
      }
    },
    dispose: () => dropSchema(schema),
  };
});
