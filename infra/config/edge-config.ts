/**
 * The HTTP edge's settings (issue 11, finding 9): which proxies to believe about the client address,
 * how many failed authentications an address may make, how many full-chain verifications may run at
 * once, and whether to send HSTS. Read with the rest of the configuration by loadConfig.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A configuration mistake, as config.ts's ConfigProblem (declared here so the two files do not import each other). */
interface ConfigProblem {
  variable: string;
  value: string | undefined;
  problem: string;
}

export interface EdgeConfig {
  /**
   * Express's `trust proxy` value: false (the socket's address is the client), a hop count, or a list of
   * proxy addresses / CIDRs / `loopback`, `linklocal`, `uniquelocal`. Only then is X-Forwarded-For read.
   */
  trustProxy: false | number | string[];
  /** Failed authentications an address may make per window before it gets 429 until the window ends. */
  authFailures: { max: number; windowMs: number };
  /** Full-chain verifications (POST /v1/audit/verify) running at once; more get 429. */
  verifyMaxConcurrent: number;
  /** Strict-Transport-Security max-age in seconds; 0 sends none (the API itself speaks plain HTTP). */
  hstsMaxAgeSeconds: number;
  /** The built web console the API serves at `/` (dist/console by default); null serves none. */
  consoleDir: string | null;
}

export const EDGE_CONFIG_VARIABLES: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  {
    name: 'AIMS_TRUST_PROXY',
    default: '(unset: no proxy)',
    meaning:
      'Reverse proxies whose X-Forwarded-For names the client (for throttling): a hop count (`1`) or a comma list of addresses, CIDRs, `loopback`, `linklocal`, `uniquelocal`. Unset: the connecting address is the client.',
  },
  {
    name: 'AIMS_THROTTLE_AUTH_FAILURES',
    default: '20/60',
    meaning:
      'Failed authentications one client address may make, `N` or `N/SECONDS` (per window); then 429 with Retry-After until the window ends.',
  },
  {
    name: 'AIMS_VERIFY_MAX_CONCURRENT',
    default: '2',
    meaning: 'Full-chain verifications (`POST /v1/audit/verify`) that may run at once; more are answered 429 with Retry-After.',
  },
  {
    name: 'AIMS_API_HSTS_MAX_AGE',
    default: '0',
    meaning: 'Seconds of `Strict-Transport-Security` to send (set it when the API is served over HTTPS by a proxy); 0 sends none.',
  },
  {
    name: 'AIMS_CONSOLE_DIR',
    default: '`dist/console` of the installation',
    meaning:
      'The built web console (`npm run build`) the API serves at `/`; `off` serves none. A folder without `index.html` serves none either.',
  },
];

/** The installation's folder (where package.json is), from this file's place in the source or in dist/. */
function installationDir(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const ADDRESS_OR_CIDR = /^([0-9.]+|[0-9A-Fa-f:.]+)(\/\d{1,3})?$/;

function wholeNumber(raw: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(raw)) return null;
  const value = Number(raw);
  return value >= min && value <= max ? value : null;
}

export function readEdgeConfig(env: NodeJS.ProcessEnv, problems: ConfigProblem[], cwd = process.cwd()): EdgeConfig {
  const read = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };

  let trustProxy: EdgeConfig['trustProxy'] = false;
  const proxyRaw = read('AIMS_TRUST_PROXY');
  if (proxyRaw !== undefined && proxyRaw !== 'false') {
    const hops = wholeNumber(proxyRaw, 1, 10);
    const list = proxyRaw.split(',').map((s) => s.trim());
    if (hops !== null) trustProxy = hops;
    else if (list.every((entry) => PROXY_NAMES.has(entry) || ADDRESS_OR_CIDR.test(entry))) trustProxy = list;
    else
      problems.push({
        variable: 'AIMS_TRUST_PROXY',
        value: proxyRaw,
        // `true` (trust every hop) would let any client choose its address and so escape throttling.
        problem: 'must be a hop count from 1 to 10 or a comma list of proxy addresses, CIDRs, loopback, linklocal, uniquelocal',
      });
  }

  let authFailures = { max: 20, windowMs: 60_000 };
  const failuresRaw = read('AIMS_THROTTLE_AUTH_FAILURES');
  if (failuresRaw !== undefined) {
    const match = /^(\d+)(?:\/(\d+))?$/.exec(failuresRaw);
    const max = match ? wholeNumber(match[1], 1, 100_000) : null;
    const seconds = match?.[2] === undefined ? 60 : wholeNumber(match[2], 1, 86_400);
    if (max === null || seconds === null)
      problems.push({
        variable: 'AIMS_THROTTLE_AUTH_FAILURES',
        value: failuresRaw,
        problem: 'must be N or N/SECONDS: from 1 to 100000 failures per 1 to 86400 seconds, e.g. 20/60',
      });
    else authFailures = { max, windowMs: seconds * 1000 };
  }

  let verifyMaxConcurrent = 2;
  const verifyRaw = read('AIMS_VERIFY_MAX_CONCURRENT');
  if (verifyRaw !== undefined) {
    const value = wholeNumber(verifyRaw, 1, 64);
    if (value === null)
      problems.push({ variable: 'AIMS_VERIFY_MAX_CONCURRENT', value: verifyRaw, problem: 'must be a whole number from 1 to 64' });
    else verifyMaxConcurrent = value;
  }

  let hstsMaxAgeSeconds = 0;
  const hstsRaw = read('AIMS_API_HSTS_MAX_AGE');
  if (hstsRaw !== undefined) {
    const value = wholeNumber(hstsRaw, 0, 2 * 365 * 86_400);
    if (value === null)
      problems.push({ variable: 'AIMS_API_HSTS_MAX_AGE', value: hstsRaw, problem: 'must be a whole number of seconds from 0 to 63072000' });
    else hstsMaxAgeSeconds = value;
  }

  const consoleRaw = read('AIMS_CONSOLE_DIR');
  const consoleDir = consoleRaw === 'off' ? null : path.resolve(cwd, consoleRaw ?? path.join(installationDir(), 'dist', 'console'));

  return { trustProxy, authFailures, verifyMaxConcurrent, hstsMaxAgeSeconds, consoleDir };
}
