/**
 * Runs once before every test file: resolves the Temporal CLI (building it with Go on a fresh machine, with
 * progress) and hands its path to the test workers through the environment, which they inherit.
 */
import { resolveTemporalCli } from '../../infra/temporal/temporal-cli';

export default async function globalSetup(): Promise<void> {
  const cli = await resolveTemporalCli({ log: (line) => process.stderr.write(`\n${line}`) });
  if (cli.kind !== 'existing-path') throw new Error('the tests need a local Temporal CLI');
  process.env.TEMPORAL_CLI_PATH = cli.path;
}
