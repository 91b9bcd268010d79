/**
 * The stores as Nest providers, opened once per process from `config.eventStoreUrl` and closed on
 * shutdown, projector first (it writes through two of them), then the read models, tokens and evidence.
 */
import { Inject, Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import type { AimsConfig } from '../../../../infra/config/config';
import { openTokenStore } from '../../../../infra/auth/open-token-store';
import { openContentStore } from '../../../../infra/content-store/open-content-store';
import type { ContentStore } from '../../../../infra/ports/content-store.port';
import { openEventStore } from '../../../../infra/event-store/open-event-store';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import type { TokenStore } from '../../../../infra/ports/token-store.port';
import { openReadModelStore } from '../../../../infra/projections/open-read-model-store';
import { AIMS_CONFIG } from '../temporal-client.provider';
import { ProjectionRunnerService } from './projection-runner.service';
import { CONTENT_STORE, EVENT_STORE, READ_MODEL_STORE, TOKEN_STORE } from './store.tokens';

const API_EVIDENCE_POLL_MS = 20;

@Injectable()
export class StoresShutdown implements OnApplicationShutdown {
  constructor(
    private readonly projector: ProjectionRunnerService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(TOKEN_STORE) private readonly tokens: TokenStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(CONTENT_STORE) private readonly contents: ContentStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
    await this.readModels.close();
    await this.tokens.close();
    await this.contents.close();
    await this.events.close();
  }
}

export const STORE_PROVIDERS: Provider[] = [
  // The worker appends in another process; SQLite has no NOTIFY, so the projector polls. Every command
  // waits for its evidence to be projected, so the poll interval is its latency floor: keep it short
  // (the poll is one indexed read).
  {
    provide: EVENT_STORE,
    inject: [AIMS_CONFIG],
    useFactory: (config: AimsConfig): Promise<EventStore> =>
      openEventStore(config.eventStoreUrl, {
        pollIntervalMs: API_EVIDENCE_POLL_MS,
        migrate: config.eventStoreMigrate,
        personalData: config.personalData,
      }),
  },
  {
    provide: TOKEN_STORE,
    inject: [AIMS_CONFIG, EVENT_STORE],
    useFactory: (config: AimsConfig): Promise<TokenStore> => openTokenStore(config.eventStoreUrl),
  },
  {
    provide: READ_MODEL_STORE,
    // After the event store: on a fresh PostgreSQL database its migration creates the schema first.
    inject: [AIMS_CONFIG, EVENT_STORE],
    useFactory: (config: AimsConfig): Promise<ReadModelStore> => openReadModelStore(config.eventStoreUrl),
  },
  {
    provide: CONTENT_STORE,
    // After the event store: on a fresh PostgreSQL database its migration creates the schema first.
    inject: [AIMS_CONFIG, EVENT_STORE],
    useFactory: (config: AimsConfig): Promise<ContentStore> => openContentStore(config.eventStoreUrl),
  },
  ProjectionRunnerService,
  StoresShutdown,
];
