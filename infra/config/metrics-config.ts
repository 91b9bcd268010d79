/**
 * Where the Prometheus endpoints listen (issue 13 item 5). Each is its own small HTTP listener, off unless
 * a port is set, on the loopback interface unless told otherwise: metrics tell an outsider how busy the
 * organisation's approvers are, so they are for the operator's scraper, not the API's callers.
 */
interface ConfigProblem {
  variable: string;
  value: string | undefined;
  problem: string;
}

export interface MetricsConfig {
  host: string;
  /** The API's own metrics (routes, gate answers, open tasks, projection lag); null: off. */
  apiPort: number | null;
  /** The worker's metrics (evidence appends) and, on sdkPort, the Temporal SDK's (workflow task latency…). */
  workerPort: number | null;
  workerSdkPort: number | null;
}

export const METRICS_CONFIG_VARIABLES: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  { name: 'AIMS_METRICS_HOST', default: '127.0.0.1', meaning: 'Address the Prometheus endpoints listen on.' },
  {
    name: 'AIMS_API_METRICS_PORT',
    default: '(unset: off)',
    meaning: "Port of the API's Prometheus endpoint (`/metrics`): requests by route, gate answers, open tasks, projection lag.",
  },
  {
    name: 'AIMS_WORKER_METRICS_PORT',
    default: '(unset: off)',
    meaning: "Port of the worker's Prometheus endpoint (`/metrics`): evidence appends by outcome and their latency.",
  },
  {
    name: 'AIMS_WORKER_SDK_METRICS_PORT',
    default: '(unset: off)',
    meaning: "Port where the Temporal SDK's own Prometheus exporter serves the worker's workflow and activity task metrics.",
  },
];

function port(env: NodeJS.ProcessEnv, name: string, problems: ConfigProblem[]): number | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 65535) {
    problems.push({ variable: name, value: raw, problem: 'must be a whole number from 1 to 65535' });
    return null;
  }
  return value;
}

export function readMetricsConfig(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): MetricsConfig {
  const host = env.AIMS_METRICS_HOST?.trim() || '127.0.0.1';
  const config = {
    host,
    apiPort: port(env, 'AIMS_API_METRICS_PORT', problems),
    workerPort: port(env, 'AIMS_WORKER_METRICS_PORT', problems),
    workerSdkPort: port(env, 'AIMS_WORKER_SDK_METRICS_PORT', problems),
  };
  if (config.workerPort !== null && config.workerPort === config.workerSdkPort)
    problems.push({
      variable: 'AIMS_WORKER_SDK_METRICS_PORT',
      value: String(config.workerSdkPort),
      problem: 'must differ from AIMS_WORKER_METRICS_PORT',
    });
  return config;
}
