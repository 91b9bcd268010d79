#!/usr/bin/env node
/**
 * The `aims` command. Exit codes: 0 success, 1 a negative answer (e.g. blocked, not intact), 2 an error
 * (bad arguments, bad configuration, unreachable service).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { InvalidConfigurationError } from '../../../infra/config/config';
import { resolveTemporalCli, TemporalCliUnavailableError } from '../../../infra/temporal/temporal-cli';
import { DEMO_USAGE, demoCommand } from './commands/demo.command';
import { doctorCommand } from './commands/doctor.command';
import { EVIDENCE_USAGE, evidenceCommand } from './commands/evidence.command';
import { KEYS_USAGE, keysCommand } from './commands/keys.command';
import { NC_USAGE, ncCommand } from './commands/nc.command';
import { DOCS_USAGE, docsCommand } from './commands/docs.command';
import { PEOPLE_USAGE, peopleCommand } from './commands/people.command';
import { SYSTEMS_USAGE, systemsCommand } from './commands/systems.command';
import { RISKS_USAGE, risksCommand } from './commands/risks.command';
import { AUDITS_USAGE, auditsCommand } from './commands/audits.command';
import { REVIEWS_USAGE, reviewsCommand } from './commands/reviews.command';
import { METRICS_USAGE, OBJECTIVES_USAGE, metricsCommand, objectivesCommand } from './commands/objectives.command';
import { SOA_USAGE, soaCommand } from './commands/soa.command';
import { READINESS_USAGE, readinessCommand } from './commands/readiness.command';
import { SCOPE_USAGE, scopeCommand } from './commands/scope.command';
import { CONTEXT_USAGE, contextCommand } from './commands/context.command';
import { GATE_USAGE, gateCommand } from './commands/gate.command';
import { PROJECTIONS_USAGE, projectionsCommand } from './commands/projections.command';
import { startCommand } from './commands/start.command';
import { TEMPORAL_SERVER_USAGE, temporalServerCommand } from './commands/temporal-server.command';
import { TOKENS_USAGE, tokensCommand } from './commands/tokens.command';
import { printable } from './printable';
import { UsageError } from './usage-error';

const USAGE = `Usage: aims <command> [options]

Commands:
  start                     Run the engine: Temporal dev server (unless TEMPORAL_ADDRESS is set), worker, API
  doctor [--json]           Check configuration, Temporal and a round trip through a worker
  gate                      The CI/CD deployment gate: may this artifact go out? (exit 0 allowed, 1 blocked/pending)
  demo                      Populate a running engine: three sample AI systems driven through their lifecycles
  evidence verify|replay|export|checkpoint|prove|anchor|tree|migrate
                            Verify the evidence chain, replay a stream, export it for an auditor's own tools,
                            sign, prove and anchor checkpoints, rebuild the Merkle tree, migrate the schema (and grant a role)
  evidence pack|verify-pack An offline evidence pack for an auditor, and its verification with no database
  keys generate|rotate      A new Ed25519 key for signing evidence checkpoints; replace it, as evidence
  docs list|show|master-list
                            Controlled documents (7.5): the AI policy and others, their versions, the master list
  audits list|show|report   Internal audits (9.2): plan, samples, checklist, findings; the report as Markdown or HTML, from the API
  reviews list|show|inputs|verify|plan|compile|minutes|decide|sign-off
                            Management reviews (9.3): the input pack at a position or date, minutes, decisions, from the API
  nc list|show              Nonconformities and corrective action (10.2), from the API
  people list|show          The person register and role appointments (5.3), from the API
  systems resources         The tooling, compute and human resources an AI system depends on (7.1, A.4), from the API
  objectives list|show|set|withdraw|measure
                            AI objectives (6.2) with their measurements, from the API
  metrics [--as-of DATE] [--format md|csv|json]
                            Every AIMS measure (9.1) as of a date, with its trend, from the API
  risks list                The risk register (filter by system, owner, level, above appetite, overdue, due for reassessment), from the API
  soa show|gaps             The Statement of Applicability with each control's status, and its gaps, from the API
  scope show|check          The AIMS scope statement and the decision per AI system; the inventory reconciled against it
  context list|changes      The context registers (issues, interested parties, obligations) and what changed since a date
  readiness                 Certification readiness at Stage 1 or 2: every gap named (exit 0 ready, 1 gaps), from the API
  tokens create|list|rotate|revoke
                            Issue, list, rotate and revoke the API's bearer tokens (one role or more each)
  projections rebuild|status
                            Rebuild the read models the API lists from (from position 0), or show their position
  temporal-cli              Print the Temporal CLI path (building it with Go if needed)
  temporal-server up|down|status
                            Run the Temporal server itself on PostgreSQL (production topology)
  help                      Show this help

Configuration is read from the environment; see README.md.

${GATE_USAGE}

${DEMO_USAGE}

${EVIDENCE_USAGE}

${KEYS_USAGE}

${DOCS_USAGE}

${NC_USAGE}

${PEOPLE_USAGE}

${SYSTEMS_USAGE}

${RISKS_USAGE}

${AUDITS_USAGE}

${REVIEWS_USAGE}

${OBJECTIVES_USAGE}

${METRICS_USAGE}

${SOA_USAGE}

${SCOPE_USAGE}

${CONTEXT_USAGE}

${READINESS_USAGE}

${TOKENS_USAGE}

${PROJECTIONS_USAGE}

${TEMPORAL_SERVER_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      parseArgs({ args: rest, options: {}, strict: true });
      return startCommand();
    case 'doctor': {
      const { values } = parseArgs({
        args: rest,
        options: { json: { type: 'boolean', default: false }, timeout: { type: 'string', default: '30' } },
        strict: true,
      });
      const timeoutSeconds = Number(values.timeout);
      if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout must be a whole number of seconds');
      return doctorCommand({ json: values.json ?? false, timeoutSeconds });
    }
    case 'gate':
      return gateCommand(rest);
    case 'demo':
      return demoCommand(rest);
    case 'evidence':
      return evidenceCommand(rest);
    case 'keys':
      return keysCommand(rest);
    case 'docs':
      return docsCommand(rest);
    case 'nc':
      return ncCommand(rest);
    case 'people':
      return peopleCommand(rest);
    case 'systems':
      return systemsCommand(rest);
    case 'risks':
      return risksCommand(rest);
    case 'audits':
      return auditsCommand(rest);
    case 'reviews':
      return reviewsCommand(rest);
    case 'objectives':
      return objectivesCommand(rest);
    case 'metrics':
      return metricsCommand(rest);
    case 'soa':
      return soaCommand(rest);
    case 'scope':
      return scopeCommand(rest);
    case 'context':
      return contextCommand(rest);
    case 'readiness':
      return readinessCommand(rest);
    case 'tokens':
      return tokensCommand(rest);
    case 'projections':
      return projectionsCommand(rest);
    case 'temporal-server':
      return temporalServerCommand(rest);
    case 'temporal-cli': {
      parseArgs({ args: rest, options: {}, strict: true });
      const cli = await resolveTemporalCli();
      process.stdout.write(`${cli.kind === 'existing-path' ? cli.path : 'sdk-download'}\n`);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** Runs the command and exits with its code; errors become a message and exit 2. */
export function runAndExit(argv: string[]): void {
  run(argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`aims: ${(err as Error).message}\n\n${USAGE}\n`);
      } else if (err instanceof InvalidConfigurationError || err instanceof TemporalCliUnavailableError) {
        process.stderr.write(`aims: ${err.message}\n`);
      } else {
        // Often carries a server's answer (a problem's detail): shown, never obeyed by the terminal.
        process.stderr.write(`aims: ${printable(err instanceof Error ? err.message : String(err))}\n`);
      }
      process.exit(2);
    },
  );
}

if (require.main === module) runAndExit(process.argv.slice(2));
