import 'reflect-metadata';
import { loadConfig } from '../../../infra/config/config';
import { createApiApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.api.port, config.api.host);
  process.stdout.write(`[api] listening on http://${config.api.host}:${config.api.port} (docs at /docs)\n`);
}

main().catch((err) => {
  process.stderr.write(`[api] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
