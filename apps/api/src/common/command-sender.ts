/**
 * The one way the API hands a command to a process (a workflow), whichever process it is:
 *   - one deadline for every call to Temporal;
 *   - every Temporal error mapped to problem+json by the one mapper (problem-mapper.ts);
 *   - the answer given once the read models include what the step recorded (its `lastPosition`), with
 *     `projected` saying whether they caught up in time, so a GET right after it shows the step;
 *   - every command (an Update's argument, a start's input) carries the caller's `credential` (which API
 *     token or JWT proved who `by` is), beside `by` and so under the command's signature: the evidence
 *     activity records it in each event's metadata (domain/command-signature/credential.ts).
 * The rules stay in the process: this only carries commands and answers.
 */
import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import type { AimsConfig } from '../../../../infra/config/config';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { ApiMetrics } from '../metrics/api-metrics';
import { ProjectionRunnerService } from '../stores/projection-runner.service';
import { EVENT_STORE } from '../stores/store.tokens';
import { AIMS_CONFIG, TemporalClientProvider } from '../temporal-client.provider';
import { temporalProblem, type ProcessAddress, type RefusalContext } from './problem-mapper';
import { unavailable } from './problems';
import { currentRequest } from '../edge/request-context';

/** How long any call to a process may take before the caller is told to look again (the step may still land). */
export const COMMAND_DEADLINE_MS = 30_000;
/** How long a started process may take to record its first evidence before the answer says "not yet" (202). */
export const FIRST_EVIDENCE_WAIT_MS = 15_000;
/** How long an answer waits for the read models to include what the step recorded. */
export const PROJECTION_WAIT_MS = 5_000;

export type { ProcessAddress, RefusalContext };

/** Where the step left the evidence and whether the read models show it yet. */
export interface Projection {
  /** Global position of the last event the step recorded; null when it recorded nothing new. */
  lastPosition: number | null;
  /** The read models include the step (trivially so when it recorded nothing): a following GET shows it. */
  projected: boolean;
}

/** A process's answer (which names its `lastPosition`) with whether the read models include it. */
export type Answered<R extends { lastPosition: number | null }> = R & Projection;

/** What starting a process answered: whether its first evidence is recorded yet. */
export interface Started extends Projection {
  /** false when the workflow started but had not recorded its first evidence when we stopped waiting. */
  recorded: boolean;
}

export interface StartSpec {
  /** The workflow type (its function's name in the worker). */
  workflowType: string;
  to: ProcessAddress;
  args: unknown[];
  /** The evidence stream its first step records in. */
  stream: string;
  /** The problem when a workflow of that id was ever started: ids are never reused. */
  alreadyStarted(): HttpException;
}

@Injectable()
export class CommandSender {
  private readonly logger = new Logger('Commands');

  constructor(
    private readonly temporal: TemporalClientProvider,
    private readonly projections: ProjectionRunnerService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
    private readonly metrics: ApiMetrics,
  ) {}

  /** Sends an Update; refusals, absence and timeouts come back as problem+json; answers once projected. */
  async update<A, R extends { lastPosition: number | null }>(
    to: ProcessAddress,
    definition: UpdateDefinition<R, [A]>,
    arg: A,
    context: RefusalContext = {},
  ): Promise<Answered<R>> {
    const client = await this.client();
    const credentialed = withCredential(arg);
    let answer: R;
    const release = this.projections.expectingEvidence();
    const sent = process.hrtime.bigint();
    try {
      answer = await client.withDeadline(Date.now() + COMMAND_DEADLINE_MS, () =>
        client.workflow.getHandle(to.workflowId).executeUpdate(definition, { args: [credentialed] }),
      );
    } catch (error) {
      throw await this.problemOf(error, to, context, `send ${definition.name} to ${to.workflowId}`);
    } finally {
      release();
    }
    const answered = process.hrtime.bigint();
    this.metrics.observeCommand(definition.name, 'workflow', Number(answered - sent) / 1e9);
    const projected = await this.projected(answer.lastPosition);
    this.metrics.observeCommand(definition.name, 'read_models', Number(process.hrtime.bigint() - answered) / 1e9);
    return { ...answer, projected };
  }

  /** Asks a process a question (its own state, not a projection). */
  async query<R, A extends unknown[]>(to: ProcessAddress, definition: QueryDefinition<R, A>, ...args: A): Promise<R> {
    const client = await this.client();
    try {
      return await client.withDeadline(Date.now() + COMMAND_DEADLINE_MS, () =>
        client.workflow.getHandle(to.workflowId).query(definition, ...args),
      );
    } catch (error) {
      throw await this.problemOf(error, to, {}, `query ${to.workflowId}`);
    }
  }

  /**
   * Starts a process (never twice under one id) and waits for its first evidence: the workflow records its
   * first step on its first task, so once the stream has an event the first step is in the evidence.
   */
  async start(spec: StartSpec): Promise<Started> {
    const client = await this.client();
    const [input, ...rest] = spec.args;
    const args = [withCredential(input), ...rest];
    try {
      await client.withDeadline(Date.now() + COMMAND_DEADLINE_MS, () =>
        client.workflow.start(spec.workflowType, {
          taskQueue: this.config.temporal.taskQueue,
          workflowId: spec.to.workflowId,
          // An id is used once: its evidence stream is forever, even after its workflow ended.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          args,
        }),
      );
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw spec.alreadyStarted();
      throw await this.problemOf(error, spec.to, {}, `start ${spec.to.workflowId}`);
    }
    const lastPosition = await this.firstEvidence(spec.stream);
    if (lastPosition === null) return { recorded: false, lastPosition, projected: false };
    return { recorded: true, lastPosition, projected: await this.projected(lastPosition) };
  }

  private async client(): Promise<Client> {
    try {
      return await this.temporal.client();
    } catch (error) {
      throw unavailable('TEMPORAL_UNAVAILABLE', `Temporal cannot be reached: ${messageOf(error)}`);
    }
  }

  private async problemOf(error: unknown, to: ProcessAddress, context: RefusalContext, what: string): Promise<unknown> {
    const mapped = await temporalProblem(error, to, context, COMMAND_DEADLINE_MS);
    if (mapped === undefined) return error;
    if (mapped.getStatus() >= 500) this.logger.warn(`could not ${what}: ${messageOf(error)}`);
    return mapped;
  }

  private async projected(lastPosition: number | null): Promise<boolean> {
    return lastPosition === null || (await this.projections.waitForPosition(lastPosition, PROJECTION_WAIT_MS));
  }

  /** Position of the stream's last event, or null when it has none. */
  private async tail(stream: string): Promise<number | null> {
    for await (const event of this.events.readStream(stream, { direction: 'backwards', maxCount: 1 })) return event.position;
    return null;
  }

  /** Polls until the stream has evidence; its tail, or null after FIRST_EVIDENCE_WAIT_MS. */
  private async firstEvidence(stream: string): Promise<number | null> {
    const deadline = Date.now() + FIRST_EVIDENCE_WAIT_MS;
    for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
      const position = await this.tail(stream);
      if (position !== null || Date.now() >= deadline) return position;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/**
 * The command with the authenticated caller's credential beside its `by`. Every command the API sends is a
 * person's and is sent while handling their request; one sent without a credential would be a bug that
 * records evidence naming nobody's credential, so it is refused (500) instead.
 */
function withCredential<A>(arg: A): A {
  const request = currentRequest();
  const credential = request?.credential;
  if (credential === undefined) throw new Error('bug: a command sent outside an authenticated request (no credential to record)');
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) return arg;
  return { ...arg, credential, ...(request?.requestId === undefined ? {} : { httpRequestId: request.requestId }) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
