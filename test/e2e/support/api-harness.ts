/**
 * The real API app (createApiApp) on a fresh SQLite evidence store in a temporary folder, with one API
 * token per role issued through the real token store, and a separate evidence-store connection for
 * tests that append evidence directly. Temporal is not started: these endpoints do not need it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { createApiApp } from '../../../apps/api/src/create-app';
import { AIMS_ROLES, type AimsRole } from '../../../domain/shared/roles';
import { openTokenStore } from '../../../infra/auth/open-token-store';
import { AimsConfig, loadConfig } from '../../../infra/config/config';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore } from '../../../infra/ports/event-store.port';
import { TEST_COMMAND_KEYS_TEXT } from '../../support/command-keys';
import type { TokenStore } from '../../../infra/ports/token-store.port';

export interface ApiHarness {
  app: INestApplication;
  /** The http.Server for supertest. */
  server: unknown;
  config: AimsConfig;
  storeUrl: string;
  /** A token per role, named `<role>-token` (actor id = that name). */
  tokens: Record<AimsRole, string>;
  tokenStore: TokenStore;
  /** Its own connection to the evidence store. */
  events: EventStore;
  close(): Promise<void>;
}

export async function startApiHarness(env: NodeJS.ProcessEnv = {}): Promise<ApiHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-api-e2e-'));
  const config = loadConfig({ AIMS_DATA_DIR: dir, TEMPORAL_ADDRESS: '127.0.0.1:1', AIMS_COMMAND_KEYS: TEST_COMMAND_KEYS_TEXT, ...env });
  const tokenStore = await openTokenStore(config.eventStoreUrl);
  const tokens = {} as Record<AimsRole, string>;
  for (const role of AIMS_ROLES) tokens[role] = (await tokenStore.issue({ name: `${role}-token`, roles: [role] })).token;
  const app = await createApiApp(config, { logger: false });
  await app.init();
  const events = await openEventStore(config.eventStoreUrl, { pollIntervalMs: 20 });
  return {
    app,
    server: app.getHttpServer(),
    config,
    storeUrl: config.eventStoreUrl,
    tokens,
    tokenStore,
    events,
    close: async () => {
      await app.close();
      await events.close();
      await tokenStore.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` passes (projections are eventually consistent), or fails with the last error. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
