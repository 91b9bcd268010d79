/**
 * The worker's Prometheus metrics (issue 13 item 5): every evidence append the activities make, by
 * outcome, with its latency — the engine's own share of each step. The Temporal SDK's metrics (workflow
 * and activity task latency, poll results, cache) come from its runtime's exporter on a port of their own
 * (AIMS_WORKER_SDK_METRICS_PORT), installed with the runtime (worker-log.ts) before any connection is made.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { serveMetrics, type MetricsListener } from '../../../infra/metrics/serve-metrics';
import type { EventStore } from '../../../infra/ports/event-store.port';

export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly appendDuration = new Histogram({
    name: 'aims_evidence_append_duration_seconds',
    help: 'Evidence appends by the worker, by outcome (appended, retry: already stored, refused)',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly appendedEvents = new Counter({
    name: 'aims_evidence_events_appended_total',
    help: 'Evidence events the worker appended',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'aims_worker_' });
  }

  /** The store, with every append timed; reads pass through untouched. */
  instrument(store: EventStore): EventStore {
    const timed: EventStore['append'] = async (stream, events, options) => {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result = await store.append(stream, events, options);
        this.appendDuration.observe({ outcome: result.alreadyRecorded ? 'retry' : 'appended' }, seconds());
        if (!result.alreadyRecorded) this.appendedEvents.inc(events.length);
        return result;
      } catch (error) {
        this.appendDuration.observe({ outcome: 'refused' }, seconds());
        throw error;
      }
    };
    return new Proxy(store, {
      get: (target, property, receiver) => {
        if (property === 'append') return timed;
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  listen(host: string, port: number): Promise<MetricsListener> {
    return serveMetrics(this.registry, host, port, 'worker');
  }
}
