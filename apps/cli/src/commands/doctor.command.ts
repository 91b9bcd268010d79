/** `aims doctor`: checks configuration, Temporal and a full round trip through a running worker. */
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { loadConfig, temporalAddress } from '../../../../infra/config/config';
import { connectClient } from '../../../../infra/temporal/connection';
import type { workerRoundTrip } from '../../../../workflows';

export async function doctorCommand(options: { json: boolean; timeoutSeconds: number }): Promise<number> {
  const config = loadConfig();
  const connection = await connectClient(config);
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const probe = randomUUID();
    const result = await client.workflow.execute<typeof workerRoundTrip>('workerRoundTrip', {
      taskQueue: config.temporal.taskQueue,
      workflowId: `doctor-${probe}`,
      args: [probe],
      workflowExecutionTimeout: `${options.timeoutSeconds} seconds`,
    });
    if (options.json) process.stdout.write(`${JSON.stringify({ ok: true, temporal: temporalAddress(config), result })}\n`);
    else process.stdout.write(`ok: Temporal at ${temporalAddress(config)}; worker ${result.worker.identity} answered\n`);
    return 0;
  } finally {
    await connection.close();
  }
}
