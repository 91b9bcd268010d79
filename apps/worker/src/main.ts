/**
 * The Temporal worker process. Shutdown happens exactly once: the SDK's runtime owns SIGINT/SIGTERM and
 * drains the worker; `run()` then resolves and we close the connection. Nothing else installs signal
 * handlers here (no Nest shutdown hooks), so the two can never race.
 */
import { loadConfig } from '../../../infra/config/config';
import { CheckpointScheduler } from '../../../infra/event-store/checkpoint-scheduler';
import { loadSigner } from '../../../infra/event-store/evidence-checkpoints';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { loadCommandKeys } from '../../../infra/signing/command-key-source';
import { Client } from '@temporalio/client';
import { loadNotificationSettings } from '../../../infra/config/notification-config';
import { openNotifierPositionStore } from '../../../infra/notifications/notifier-position-store';
import { connectClient, connectWorker } from '../../../infra/temporal/connection';
import { createAimsWorker } from './create-worker';
import { tokenStorePeople } from '../../../activities/people.activities';
import { openTokenStore } from '../../../infra/auth/open-token-store';
import { Notifier } from './notifier';
import { createWorkerLog, installWorkerRuntime } from './worker-log';
import { WorkerMetrics } from './worker-metrics';

async function main(): Promise<void> {
  const config = loadConfig();
  // Read and validated before anything starts: a bad directory stops the worker with every problem listed.
  const notifications = loadNotificationSettings(config.notifications);
  const { host, workerPort, workerSdkPort } = config.metrics;
  const { logger: log, announce } = createWorkerLog(config.logFormat, config.logLevel);
  installWorkerRuntime({
    logger: log,
    level: config.logLevel,
    ...(workerSdkPort === null ? {} : { sdkMetrics: { host, port: workerSdkPort } }),
  });
  const metrics = workerPort !== null ? new WorkerMetrics() : undefined;
  const opened = await openEventStore(config.eventStoreUrl, { migrate: config.eventStoreMigrate, personalData: config.personalData });
  const eventStore = metrics ? metrics.instrument(opened) : opened;
  const metricsListener = metrics && workerPort !== null ? await metrics.listen(host, workerPort) : undefined;
  if (metricsListener) announce(`Prometheus metrics on http://${host}:${metricsListener.port}/metrics`);
  if (workerSdkPort !== null) announce(`Temporal SDK metrics on http://${host}:${workerSdkPort}/metrics`);
  const connection = await connectWorker(config);
  // Signed checkpoints on a schedule live here, in the worker, which every deployment runs (not the API).
  const signer = loadSigner(config.checkpoints);
  const checkpoints = signer
    ? new CheckpointScheduler(
        eventStore,
        config.checkpoints.origin,
        signer,
        { everyEvents: config.checkpoints.everyEvents, everyMs: config.checkpoints.everyMs },
        (err) => {
          log.warn('checkpoint not signed', { error: err instanceof Error ? err.message : String(err) });
        },
      )
    : undefined;
  checkpoints?.start();
  // Notifications (docs/notifications.md): the notifier starts one workflow per notifiable event.
  const positions = notifications ? await openNotifierPositionStore(config.eventStoreUrl) : undefined;
  const clientConnection = notifications ? await connectClient(config) : undefined;
  const notifier =
    positions && clientConnection
      ? new Notifier({
          store: eventStore,
          positions,
          client: new Client({ connection: clientConnection, namespace: config.temporal.namespace }).workflow,
          taskQueue: config.temporal.taskQueue,
          onError: (err) => {
            log.warn('notifier paused', { error: err instanceof Error ? err.message : String(err) });
          },
        })
      : undefined;
  // Document acknowledgements reach the people who hold the named roles: from the API tokens until there is a person register.
  const tokens = await openTokenStore(config.eventStoreUrl);
  try {
    const worker = await createAimsWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      eventStore,
      commandKeys: loadCommandKeys({ keys: config.commands.keys, dataDir: config.dataDir }),
      commandMaxAgeMs: config.commands.maxAgeMs,
      maxCachedWorkflows: config.temporal.workerMaxCachedWorkflows,
      workflows: process.env.AIMS_WORKFLOWS === 'source' ? 'source' : 'auto',
      notifications,
      people: tokenStorePeople(tokens),
    });
    notifier?.start();
    announce(`polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}"`);
    await worker.run();
    announce('stopped');
  } finally {
    await notifier?.stop();
    await positions?.close();
    await clientConnection?.close();
    await checkpoints?.stop();
    await metricsListener?.close();
    await connection.close();
    await tokens.close();
    await eventStore.close();
  }
}

main().catch((err) => {
  const message = err instanceof Error ? err.message : String(err);
  // The configuration may be what failed, so the format is read from the environment as it stands.
  const line =
    process.env.AIMS_LOG_FORMAT === 'json'
      ? JSON.stringify({ time: new Date().toISOString(), level: 'error', context: 'worker', message })
      : `[worker] ${message}`;
  process.stderr.write(`${line}\n`);
  process.exit(1);
});
