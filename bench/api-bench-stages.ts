/**
 * Where a gate request's time goes inside the API, read from the API's own Prometheus metrics (what an
 * operator sees): scraped before and after a run of gate requests, the difference of the histograms' sums
 * and counts gives the mean per request of the whole request (aims_gate_duration_seconds, pending), of its
 * Update's round trip through Temporal and the worker, and of the wait for its evidence in the read models
 * (aims_command_duration_seconds). What remains is the API's own work: authentication, body validation,
 * the answer (the command's signature is made by the Temporal client, inside the Update's stage).
 */

/** Cumulative sums (seconds) and counts of the series that matter here. */
export interface GateSeries {
  gate: { sum: number; count: number };
  workflow: { sum: number; count: number };
  readModels: { sum: number; count: number };
}

/** Means per request over one run of gate requests (ms). */
export interface GateStages {
  requests: number;
  totalMs: number;
  workflowMs: number;
  readModelsMs: number;
  /** The rest: what the API does itself before the Update and after the wait. */
  apiMs: number;
}

/** `metric` is a histogram's name with its labels as Prometheus prints them: `name{label="value"}`. */
function series(text: string, metric: string): { sum: number; count: number } {
  const value = (suffix: string): number => {
    const prefix = `${metric.replace('{', `_${suffix}{`)} `;
    const line = text.split('\n').find((l) => l.startsWith(prefix));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { sum: value('sum'), count: value('count') };
}

export async function scrapeGateSeries(metricsPort: number): Promise<GateSeries> {
  const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  if (!response.ok) throw new Error(`the API's metrics answered ${response.status}`);
  const text = await response.text();
  return {
    gate: series(text, 'aims_gate_duration_seconds{outcome="pending"}'),
    workflow: series(text, 'aims_command_duration_seconds{update="requestDeployment",stage="workflow"}'),
    readModels: series(text, 'aims_command_duration_seconds{update="requestDeployment",stage="read_models"}'),
  };
}

/** The means of the requests answered between two scrapes; each stage must have counted every request. */
export function stagesBetween(before: GateSeries, after: GateSeries): GateStages {
  const delta = (pick: (s: GateSeries) => { sum: number; count: number }) => ({
    sum: pick(after).sum - pick(before).sum,
    count: pick(after).count - pick(before).count,
  });
  const gate = delta((s) => s.gate);
  const workflow = delta((s) => s.workflow);
  const readModels = delta((s) => s.readModels);
  if (gate.count === 0 || workflow.count !== gate.count || readModels.count !== gate.count)
    throw new Error(
      `the API's metrics counted ${gate.count} gate answers, ${workflow.count} Updates, ${readModels.count} read-model waits`,
    );
  const mean = (d: { sum: number; count: number }) => (1000 * d.sum) / d.count;
  return {
    requests: gate.count,
    totalMs: mean(gate),
    workflowMs: mean(workflow),
    readModelsMs: mean(readModels),
    apiMs: mean(gate) - mean(workflow) - mean(readModels),
  };
}
