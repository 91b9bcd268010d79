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

  /** The client over the current connection: made once per connection, not per request (its construction shows in the API's profile). */
  private current?: { connection: Connection; client: Client };

  async client(): Promise<Client> {
    const connection = await this.getConnection();
    if (this.current?.connection !== connection) {
      const client = new Client({ connection, namespace: this.config.temporal.namespace, interceptors: { workflow: [this.signing] } });
      this.current = { connection, client };
    }
    return this.current.client;
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
    this.current = undefined;
    if (connection) await (await connection.catch(() => undefined))?.close();
  }
}
