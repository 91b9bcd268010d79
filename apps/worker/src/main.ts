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
import { Notifier } from './notifier';
import { installSdkMetrics, WorkerMetrics } from './worker-metrics';

async function main(): Promise<void> {
  const config = loadConfig();
  // Read and validated before anything starts: a bad directory stops the worker with every problem listed.
  const notifications = loadNotificationSettings(config.notifications);
  const { host, workerPort, workerSdkPort } = config.metrics;
  if (workerSdkPort !== null) installSdkMetrics(host, workerSdkPort);
  const metrics = workerPort !== null ? new WorkerMetrics() : undefined;
  const opened = await openEventStore(config.eventStoreUrl, { migrate: config.eventStoreMigrate });
  const eventStore = metrics ? metrics.instrument(opened) : opened;
  const metricsListener = metrics && workerPort !== null ? await metrics.listen(host, workerPort) : undefined;
  if (metricsListener) process.stdout.write(`[worker] Prometheus metrics on http://${host}:${metricsListener.port}/metrics\n`);
  if (workerSdkPort !== null) process.stdout.write(`[worker] Temporal SDK metrics on http://${host}:${workerSdkPort}/metrics\n`);
  const connection = await connectWorker(config);
  // Signed checkpoints on a schedule live here, in the worker, which every deployment runs (not the API).
  const signer = loadSigner(config.checkpoints);
  const checkpoints = signer
    ? new CheckpointScheduler(
        eventStore,
        config.checkpoints.origin,
        signer,
        { everyEvents: config.checkpoints.everyEvents, everyMs: config.checkpoints.everyMs },
        (err) => process.stderr.write(`[worker] checkpoint not signed: ${err instanceof Error ? err.message : String(err)}\n`),
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
          onError: (err) => process.stderr.write(`[worker] notifier paused: ${err instanceof Error ? err.message : String(err)}\n`),
        })
      : undefined;
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
    });
    notifier?.start();
    process.stdout.write(`[worker] polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}"\n`);
    await worker.run();
    process.stdout.write('[worker] stopped\n');
  } finally {
    await notifier?.stop();
    await positions?.close();
    await clientConnection?.close();
    await checkpoints?.stop();
    await metricsListener?.close();
    await connection.close();
    await eventStore.close();
  }
}

main().catch((err) => {
  process.stderr.write(`[worker] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
