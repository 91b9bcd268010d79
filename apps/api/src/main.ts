import 'reflect-metadata';
import { loadConfig } from '../../../infra/config/config';
import { createApiApp } from './create-app';
import { ApiMetrics } from './metrics/api-metrics';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.api.port, config.api.host);
  process.stdout.write(`[api] listening on http://${config.api.host}:${config.api.port} (docs at /docs)\n`);
  if (config.metrics.apiPort !== null) {
    const metrics = await app.get(ApiMetrics).listen(config.metrics.host, config.metrics.apiPort);
    process.stdout.write(`[api] Prometheus metrics on http://${config.metrics.host}:${metrics.port}/metrics\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`[api] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
