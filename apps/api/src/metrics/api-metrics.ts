/**
 * The API's Prometheus metrics (issue 13 item 5), on a listener of their own (AIMS_API_METRICS_PORT, on
 * loopback by default): what an operator alerts on.
 *  - aims_http_request_duration_seconds{method,route,status}: every request, by route template;
 *  - aims_gate_answers_total{outcome} and aims_gate_duration_seconds{outcome}: the deployment gate, a
 *    deploy's critical path (allowed 200, pending 202, blocked 409, refused otherwise);
 *  - aims_open_tasks{kind,overdue}: open human tasks from the read models, counted at each scrape;
 *  - aims_projection_lag_events / aims_projection_lag_seconds: how far the read models trail the evidence;
 *  - aims_command_duration_seconds{update,stage}: where an accepted command's time goes, by Update name: `workflow`
 *    (the signed Update's round trip through Temporal, the worker and the evidence store) and `read_models`
 *    (the wait for its evidence in the read models before answering). An operator sees whether a slow gate
 *    is Temporal's, the worker's or the projector's; what remains of the request's time is the API's own.
 * A registry per application, so that two apps in one process (the e2e tests) do not share counters.
 */
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { serveMetrics, type MetricsListener } from '../../../../infra/metrics/serve-metrics';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { HUMAN_TASKS } from '../../../../infra/projections/read-models/human-tasks.read-model';
import { routeTemplate } from '../edge/request-context';

/** Finer at the bottom: a read-model wait is usually well under a millisecond. */
const STAGE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const GATE_ROUTE = '/v1/ai-systems/:id/deployments';

export function gateOutcome(status: number): 'allowed' | 'pending' | 'blocked' | 'refused' {
  if (status === 200) return 'allowed';
  if (status === 202) return 'pending';
  if (status === 409) return 'blocked';
  return 'refused';
}

/** The parts of a command's time the API can tell apart (see aims_command_duration_seconds). */
export type CommandStage = 'workflow' | 'read_models';

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'aims_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly gateAnswers = new Counter({
    name: 'aims_gate_answers_total',
    help: 'Deployment gate answers by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly gateDuration = new Histogram({
    name: 'aims_gate_duration_seconds',
    help: 'Deployment gate latency by outcome (the pipeline waits for it)',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly commandDuration = new Histogram({
    name: 'aims_command_duration_seconds',
    help: 'Accepted commands by Update name and stage: workflow (the Update through Temporal and the worker), read_models (waiting for its evidence to be projected)',
    labelNames: ['update', 'stage'] as const,
    buckets: STAGE_BUCKETS,
    registers: [this.registry],
  });

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly now: () => Date = () => new Date(),
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'aims_api_' });
    const openTasks = new Gauge({
      name: 'aims_open_tasks',
      help: 'Open human tasks by kind, and whether they are past due (from the read models)',
      labelNames: ['kind', 'overdue'] as const,
      registers: [this.registry],
      collect: async () => {
        openTasks.reset();
        const now = this.now().toISOString();
        for await (const { row } of this.readModels.scan(HUMAN_TASKS, { where: [{ column: 'status', op: 'eq', value: 'open' }] })) {
          openTasks.inc({ kind: row.kind, overdue: row.dueAt !== null && row.dueAt < now ? 'true' : 'false' });
        }
      },
    });
    const lagEvents = new Gauge({
      name: 'aims_projection_lag_events',
      help: 'Evidence events not yet in the read models',
      registers: [this.registry],
    });
    const lagSeconds: Gauge = new Gauge({
      name: 'aims_projection_lag_seconds',
      help: 'Age of the oldest evidence event not yet in the read models (0 when caught up)',
      registers: [this.registry],
      collect: async (): Promise<void> => {
        const [head, status] = await Promise.all([this.events.head(), this.readModels.status()]);
        const behind = Math.max(0, (head?.position ?? 0) - status.checkpoint);
        lagEvents.set(behind);
        if (behind === 0) {
          lagSeconds.set(0);
          return;
        }
        for await (const oldest of this.events.readAll({ fromPosition: status.checkpoint + 1, toPosition: status.checkpoint + 1 })) {
          lagSeconds.set(Math.max(0, (this.now().getTime() - Date.parse(oldest.recordedAt)) / 1000));
        }
      },
    });
  }

  /** Express middleware: times every request once it has been answered. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // Never the raw path: ids in paths would make a series per system.
      const route = routeTemplate(req);
      this.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if (req.method === 'POST' && route === GATE_ROUTE) {
        const outcome = gateOutcome(res.statusCode);
        this.gateAnswers.inc({ outcome });
        this.gateDuration.observe({ outcome }, seconds);
      }
    });
    next();
  };

  /** One stage of one command; `update` is the Update's name (a fixed set: the message tables'). */
  observeCommand(update: string, stage: CommandStage, seconds: number): void {
    this.commandDuration.observe({ update, stage }, seconds);
  }

  /** Serves GET /metrics on host:port (0 picks a free port). */
  listen(host: string, port: number): Promise<MetricsListener> {
    return serveMetrics(this.registry, host, port, 'api');
  }
}
