/**
 * Runs once before every test file: resolves the Temporal CLI (building it with Go on a fresh machine, with
 * progress) and hands its path to the test workers through the environment, which they inherit. It also
 * builds the Temporal server the topology tests run (issue 13): built here, once, before the test files
 * share the machine, rather than inside a test's `aims temporal-server up`, whose time limit a build of
 * many minutes on a loaded machine can exceed.
 */
import { resolveTemporalCli } from '../../infra/temporal/temporal-cli';
import { resolveTemporalServer } from '../../infra/temporal/temporal-server';

export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`\n${line}`);
  const cli = await resolveTemporalCli({ log });
  if (cli.kind !== 'existing-path') throw new Error('the tests need a local Temporal CLI');
  process.env.TEMPORAL_CLI_PATH = cli.path;
  await resolveTemporalServer(process.env, log);
}
