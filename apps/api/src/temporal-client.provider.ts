import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { AimsConfig } from '../../../infra/config/config';
import { loadCommandKeys } from '../../../infra/signing/command-key-source';
import { commandSigningInterceptor } from '../../../infra/temporal/command-signing';
import { connectClient } from '../../../infra/temporal/connection';

export const AIMS_CONFIG = Symbol('AIMS_CONFIG');

/** One lazily opened Temporal connection per API process; /ready reports whether it works. */
@Injectable()
export class TemporalClientProvider implements OnApplicationShutdown {
  private connection?: Promise<Connection>;

  constructor(@Inject(AIMS_CONFIG) private readonly config: AimsConfig) {
    this.signing = commandSigningInterceptor(loadCommandKeys({ keys: config.commands.keys, dataDir: config.dataDir }));
  }

  /** Every Update and workflow start this API sends is signed: the worker records nothing it did not vouch for. */
  private readonly signing: WorkflowClientInterceptor;

  async client(): Promise<Client> {
    return new Client({
      connection: await this.getConnection(),
      namespace: this.config.temporal.namespace,
      interceptors: { workflow: [this.signing] },
    });
  }

  async getConnection(): Promise<Connection> {
    if (!this.connection) {
      this.connection = connectClient(this.config);
      // A failed connect must not be cached, or /ready would stay red after Temporal comes up.
      this.connection.catch(() => (this.connection = undefined));
    }
    return this.connection;
  }

  async checkHealth(): Promise<void> {
    const connection = await this.getConnection();
    await connection.workflowService.getSystemInfo({});
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await (await connection.catch(() => undefined))?.close();
  }
}
