/** Temporal connection options built from the validated configuration (client and worker alike). */
import * as fs from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { AimsConfig, temporalAddress } from '../config/config';

export interface TemporalConnectionSettings {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

export function temporalConnectionSettings(config: AimsConfig): TemporalConnectionSettings {
  const tls = config.temporal.tls;
  let tlsConfig: TLSConfig | boolean | undefined;
  if (tls === true) tlsConfig = true;
  else if (tls) {
    tlsConfig = {
      serverNameOverride: tls.serverNameOverride,
      serverRootCACertificate: tls.serverRootCaCertPath ? fs.readFileSync(tls.serverRootCaCertPath) : undefined,
      clientCertPair:
        tls.clientCertPath && tls.clientKeyPath
          ? { crt: fs.readFileSync(tls.clientCertPath), key: fs.readFileSync(tls.clientKeyPath) }
          : undefined,
    };
  }
  return { address: temporalAddress(config), tls: tlsConfig, apiKey: config.temporal.apiKey };
}

export async function connectClient(config: AimsConfig): Promise<Connection> {
  return Connection.connect({ ...temporalConnectionSettings(config), connectTimeout: '10 seconds' });
}

export async function connectWorker(config: AimsConfig): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionSettings(config));
}
