/**
 * The decider-workflow runtime: what every AIMS process (AI-system lifecycle, corrective action, and the
 * processes to come) shares, so that a process is a domain module, a message table and its timer rules.
 *
 * - One step at a time: `queue` runs work after everything queued before it; `step` decides the command
 *   on the state it finds, records the events as evidence (ids made here, so retries never duplicate),
 *   and only then folds them: the state never runs ahead of the evidence.
 * - Updates from a table (`update`): the validator refuses at once whatever the handler would refuse,
 *   judged against the state that accepted-but-unfinished commands will leave; the handler waits its
 *   turn, builds the command again from the state it finds, and answers from what was recorded.
 * - Time (`keepTime`): the process sleeps on a durable timer until its rules say something falls due,
 *   waking early whenever a step changes the state, then takes every due step in one turn.
 * - History stays bounded: `keepTime` returns when Temporal suggests continuing as new (or past a set
 *   length), and `finish` lets every accepted update finish before the run ends or hands over.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  setHandler,
  workflowInfo,
  type QueryDefinition,
  type SignalDefinition,
  type Workflow,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { domainError, type DomainError } from '../../domain/shared/domain-error';
import { actorProblem, isAimsRole, type Actor, type AimsRole } from '../../domain/shared/roles';
import { isCommandSignature, startMessage } from '../../domain/command-signature/command-signature';
import type { JsonObject } from '../../domain/shared/json';
import { recordEvidence, type EvidenceVouch } from '../evidence-recorder';
import type { Decider, EvidenceActorRef, Step } from './decider';
import { failureOf, validationFailure } from './failures';

/** What a run hands to the next when it continues as new. */
export interface CarriedState<S> {
  state: S;
  /** Evidence id of the last event recorded (the cause of the next one, for chained processes). */
  lastEvidenceId?: string | null;
}

export interface ProcessOptions<S, C extends { type: string }, E extends { type: string }> {
  decider: Decider<S, C, E>;
  /** The evidence stream every step appends to. */
  stream: string;
  /** The state to start from: the carried state of the previous run, or the process's initial state. */
  state: S;
  /** Evidence correlation (default: the workflow id). */
  correlationId?: string;
  /**
   * What each recorded batch names as its cause: `update` (the Update that asked for it, when there is
   * one) or `previous-evidence` (the last batch recorded before it: a chain, starting at `firstCause`).
   */
  causation: 'update' | 'previous-evidence';
  firstCause?: string | null;
  /** Recorded as the actor of batches whose events name nobody. */
  systemActor: EvidenceActorRef;
  /** Continue as new past this many history events even before Temporal suggests it (optional bound). */
  continueAsNewAfterHistoryLength?: number;
}

/** What the process must do by itself, and when (the process's timer rules). */
export interface TimerRules<S, C> {
  /** True once the process has nothing more to do (the run then ends). */
  finished(state: S): boolean;
  /** The next instant the process must act by itself (epoch ms) and why, or null while only people can move it. */
  next(state: S, nowMs: number): { at: number; summary: string } | null;
  /** A command due at `at`, or null when none is; taken one by one, each on the state the last one left. */
  due(state: S, at: string): C | null;
}

/** How a step is asked for: its cause in the evidence, what vouches for it, and whether the process took it by itself. */
export interface StepOptions {
  causationId?: string;
  vouch?: EvidenceVouch;
  /** The process's own step: a refusal is a bug, not a caller's mistake. */
  system?: boolean;
}

/** How an update's argument becomes a command, and how its result is answered. */
export interface UpdateRow<S, C, E extends { type: string }, A, R> {
  /** The command the argument asks for, built against a state (ids derived from it) at an instant. */
  command(arg: A, context: { state: S; at: string; by: Actor }): C;
  /** The answer, from what the step recorded, the state after it and the command it took. */
  answer?(done: Step<E>, state: S, command: C): R;
  /**
   * Runs instead of one step and `answer` (several steps, an activity between them, a child workflow);
   * the person's own step takes `asked` (its cause and what vouches for it).
   */
  run?(command: C, asked: StepOptions): Promise<R>;
  /**
   * An idempotent repeat (the same request sent again): refused or answered from the record, and never
   * decided or recorded again. Checked first, by the validator and again by the handler.
   */
  repeat?: {
    matches(arg: A, state: S): boolean;
    refusal(arg: A, by: Actor): DomainError | null;
    answer(arg: A, state: S): R;
  };
}

export type Process<S, C extends { type: string }, E extends { type: string }> = ReturnType<typeof startProcess<S, C, E>>;

/** The workflow's clock (deterministic inside a workflow): every command is stamped with it. */
export function now(): string {
  return new Date().toISOString();
}

/**
 * Only the actor's id and roles go into a command (nothing else a caller sends can reach the evidence),
 * and, when the API enforces appointments, the person and the appointment per role (well-formed only).
 */
export function actorOf(by: unknown): Actor {
  if (typeof by !== 'object' || by === null) return by as Actor; // refused as INVALID_ACTOR (actorProblem)
  const { id, roles, personId, appointments } = by as Actor;
  const actor: Actor = { id, roles: Array.isArray(roles) ? [...roles] : roles };
  if (typeof personId === 'string' && personId !== '' && personId.length <= 128) actor.personId = personId;
  if (typeof appointments === 'object' && appointments !== null && !Array.isArray(appointments)) {
    const kept = Object.entries(appointments).filter(
      (entry): entry is [AimsRole, string] =>
        isAimsRole(entry[0]) && typeof entry[1] === 'string' && entry[1] !== '' && entry[1].length <= 128,
    );
    if (kept.length > 0) actor.appointments = Object.fromEntries(kept);
  }
  return actor;
}

/** What vouches for a workflow's first step when a person asked for it: the signed start input. */
export function signedStart(input: unknown): EvidenceVouch {
  const info = workflowInfo();
  return {
    kind: 'signed-command',
    workflowId: info.workflowId,
    message: startMessage(info.workflowType),
    messageId: info.workflowId,
    argument: input as JsonObject,
    acceptedAt: now(),
  };
}

/** Starts the runtime of one process run. Call it first in the workflow function, before any await. */
export function startProcess<S, C extends { type: string }, E extends { type: string }>(options: ProcessOptions<S, C, E>) {
  const { decider, stream } = options;
  let state = options.state;
  let lastEvidenceId: string | null = options.firstCause ?? null;
  /** Counts recorded steps: timers wake when it moves. */
  let version = 0;

  let tail: Promise<unknown> = Promise.resolve();
  /** Runs `work` after everything queued before it. */
  function queue<T>(work: () => Promise<T>): Promise<T> {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  }

  // ----- what validators judge by: the state accepted-but-unfinished commands will leave -----

  /** The events of the step being recorded (decided, not yet in the evidence). */
  let recording: E[] = [];
  /** Commands accepted and queued, not yet started, in queue order; each built when judged. */
  const waiting = new Set<{ build(state: S, at: string): C | null }>();

  function judged(): S {
    let s = recording.reduce((s, e) => decider.evolve(s, e), state);
    const at = now();
    for (const entry of waiting) {
      let command: C | null;
      try {
        command = entry.build(s, at);
      } catch {
        continue; // its own handler will refuse it; it must not refuse someone else's command
      }
      if (command === null) continue;
      const decided = decider.decide(command, s);
      if (decided.ok) s = decided.value.reduce((next, e) => decider.evolve(next, e), s);
    }
    return s;
  }

  /**
   * Decides, records the events as evidence, then folds them. A person's command refused here fails only
   * their update; the process's own commands (`system`) follow the rules `decide` applies, so their refusal
   * is a bug: a plain Error fails the workflow task, which Temporal retries (visible, fixable by a new
   * worker version) instead of failing the process.
   */
  async function step(command: C, how: StepOptions = {}): Promise<Step<E>> {
    const decided = decider.decide(command, state);
    if (!decided.ok) {
      if (how.system === true) throw new Error(`bug: ${command.type} refused: ${decided.error.code} ${decided.error.message}`);
      throw failureOf(decided.error);
    }
    const events = decided.value;
    if (events.length === 0) return { events, evidenceIds: [], lastPosition: null };
    recording = events;
    try {
      return await record(events, how);
    } catch (error) {
      // The evidence activity's refusal to vouch is the caller's answer, not an activity's failure.
      if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'COMMAND_NOT_VOUCHED') {
        throw failureOf(domainError('COMMAND_NOT_VOUCHED', error.cause.message, { command: command.type }));
      }
      throw error;
    } finally {
      recording = [];
    }
  }

  /** Appends the step's events (ids made here) and only then folds them into the state. */
  async function record(events: E[], how: StepOptions): Promise<Step<E>> {
    const causationId = options.causation === 'update' ? how.causationId : (lastEvidenceId ?? undefined);
    const { ids, result, recorded } = await recordEvidence(
      stream,
      events.map((e) => ({ type: e.type, data: decider.eventData(e), references: decider.references(e) })),
      {
        // The batch is the act of whoever issued the command (a decision and the transitions it causes).
        actor: decider.eventActor(events[0]) ?? options.systemActor,
        ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
        ...(causationId === undefined ? {} : { causationId }),
        ...(how.vouch === undefined ? {} : { vouch: how.vouch }),
      },
    );
    // What an earlier attempt of this workflow task recorded is what happened (see evidence-recorder.ts).
    const folded = recorded === undefined ? events : recorded.map((r) => ({ ...r.data, type: r.type }) as unknown as E);
    state = folded.reduce((s, e) => decider.evolve(s, e), state);
    lastEvidenceId = ids[ids.length - 1] ?? lastEvidenceId;
    version += 1;
    return { events: folded, evidenceIds: ids, lastPosition: result.lastPosition };
  }

  /**
   * The process's first command (registration, raise), decided now: a refusal ends the workflow with the
   * reason before anything is recorded. Queued before any handler exists, so updates delivered with the
   * first workflow task wait behind it and are judged against the state it will leave.
   */
  function begin(command: C, vouch?: EvidenceVouch): Promise<Step<E>> {
    const decided = decider.decide(command, state);
    if (!decided.ok) throw failureOf(decided.error);
    const entry = { build: () => command };
    waiting.add(entry);
    return queue(() => {
      waiting.delete(entry);
      return step(command, { system: true, ...(vouch === undefined ? {} : { vouch }) });
    });
  }

  /** Registers one update of the message table. */
  function update<A, R>(definition: UpdateDefinition<R, [A]>, row: UpdateRow<S, C, E, A, R>): void {
    const name = definition.name;
    const personOf = (arg: A): Actor => {
      if (typeof arg !== 'object' || arg === null || Array.isArray(arg))
        throw validationFailure(name, '', 'the argument must be an object');
      // An update is always a person's act: without `by` a command could be taken as the process's own.
      const by = actorOf((arg as { by?: unknown }).by);
      const problem = actorProblem(by);
      if (problem !== null)
        throw failureOf(domainError('INVALID_ACTOR', `${name} needs a valid actor (by): ${problem}.`, { update: name }));
      return by;
    };
    const refusalOf = (arg: A, by: Actor, s: S): DomainError | null => {
      if (row.repeat?.matches(arg, s)) return row.repeat.refusal(arg, by);
      const decided = decider.decide(row.command(arg, { state: s, at: now(), by }), s);
      return decided.ok ? null : decided.error;
    };
    setHandler(
      definition,
      (arg: A) => {
        const info = currentUpdateInfo();
        const by = personOf(arg);
        // The argument as received, signature included: the evidence activity checks the signature.
        const asked: StepOptions = {
          ...(info === undefined ? {} : { causationId: info.id }),
          vouch: {
            kind: 'signed-command',
            workflowId: workflowInfo().workflowId,
            message: name,
            messageId: info?.id ?? '',
            argument: arg as JsonObject,
            acceptedAt: now(),
          },
        };
        const entry = { build: (s: S, at: string) => (row.repeat?.matches(arg, s) ? null : row.command(arg, { state: s, at, by })) };
        waiting.add(entry);
        return queue(async () => {
          waiting.delete(entry);
          if (row.repeat?.matches(arg, state)) {
            const refused = row.repeat.refusal(arg, by);
            if (refused !== null) throw failureOf(refused);
            return row.repeat.answer(arg, state);
          }
          const command = row.command(arg, { state, at: now(), by });
          if (row.run !== undefined) return row.run(command, asked);
          const done = await step(command, asked);
          if (row.answer === undefined) throw new Error(`bug: update ${name} has neither answer nor run`);
          return row.answer(done, state, command);
        });
      },
      {
        validator: (arg: A) => {
          const by = personOf(arg);
          // The signature itself is checked where the step is recorded (it needs the keys); one that is not
          // even there is refused here, so the Update never enters history.
          if (!isCommandSignature((arg as { signature?: unknown }).signature)) {
            throw failureOf(
              domainError('COMMAND_NOT_SIGNED', `${name} is not signed by a client that holds the command keys.`, { update: name }),
            );
          }
          const refused = refusalOf(arg, by, judged());
          if (refused !== null) throw failureOf(refused);
        },
      },
    );
  }

  /** Registers a signal whose work takes its turn in the queue (returned: the run waits for it to finish). */
  function signal<A extends unknown[]>(definition: SignalDefinition<A>, handle: (...args: A) => Promise<void>): void {
    setHandler(definition, (...args: A) => queue(() => handle(...args)));
  }

  /** Registers a query answered from the recorded state. */
  function query<R, A extends unknown[]>(definition: QueryDefinition<R, A>, answer: (state: S, ...args: A) => R): void {
    setHandler(definition, (...args: A) => answer(state, ...args));
  }

  function timeToContinueAsNew(): boolean {
    // Only once this run has taken a step, so a fresh run never hands over again at once.
    if (version === 0) return false;
    const info = workflowInfo();
    const limit = options.continueAsNewAfterHistoryLength;
    return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
  }

  /**
   * Sleeps until the rules' next instant, waking early whenever a step changes the state (a decision may
   * close what was waited on), then takes every due step in one turn, all stamped with one instant; until
   * the process is finished or its history should continue as new.
   */
  async function keepTime(rules: TimerRules<S, C>): Promise<'finished' | 'continue-as-new'> {
    for (;;) {
      if (rules.finished(state)) return 'finished';
      if (timeToContinueAsNew()) return 'continue-as-new';
      const seen = version;
      const interrupted = (): boolean => version !== seen || rules.finished(state) || timeToContinueAsNew();
      const next = rules.next(state, Date.now());
      if (next === null) {
        await condition(interrupted);
        continue;
      }
      // At least 1 ms: the timer must fire after the instant, never before it.
      if (await condition(interrupted, Math.max(next.at - Date.now(), 1), { summary: next.summary })) continue;
      await queue(() => takeDueSteps(rules));
    }
  }

  async function takeDueSteps(rules: TimerRules<S, C>): Promise<void> {
    const at = now();
    for (let command = rules.due(state, at); command !== null && !rules.finished(state); command = rules.due(state, at)) {
      const done = await step(command, { system: true });
      // A due step that changes nothing would be due again at once, forever.
      if (done.events.length === 0) throw new Error(`bug: the due ${command.type} recorded nothing`);
    }
  }

  /**
   * The legacy loop of runs recorded before the runtime (corrective action only): the next follow-up is
   * chosen under the queue and taken at once when already due, without a timer. Kept so those runs replay
   * and finish as they started; new runs use `keepTime`.
   */
  async function keepTimeActingWhenDue(rules: TimerRules<S, C>): Promise<'finished' | 'continue-as-new'> {
    while (!rules.finished(state)) {
      if (timeToContinueAsNew()) return 'continue-as-new';
      const seen = version;
      const pending = await queue(async (): Promise<{ waitMs: number; summary: string } | 'look-again' | null> => {
        if (version !== seen) return 'look-again';
        const next = rules.next(state, Date.now());
        if (next === null) return null;
        if (next.at > Date.now()) return { waitMs: next.at - Date.now(), summary: next.summary };
        const command = rules.due(state, now());
        if (command !== null) await step(command, { system: true });
        return 'look-again';
      });
      if (pending === 'look-again') continue;
      const woken = (): boolean => version !== seen || timeToContinueAsNew();
      if (pending === null) await condition(woken);
      else await condition(woken, pending.waitMs, { summary: pending.summary });
    }
    return 'finished';
  }

  /** Lets every accepted update and signal finish (and be answered) before the run ends or hands over. */
  async function settle(): Promise<void> {
    await condition(allHandlersFinished);
  }

  return {
    get state(): S {
      return state;
    },
    get version(): number {
      return version;
    },
    get lastEvidenceId(): string | null {
      return lastEvidenceId;
    },
    judged,
    queue,
    step,
    begin,
    update,
    signal,
    query,
    keepTime,
    keepTimeActingWhenDue,
    settle,
    /** What the next run starts from. */
    carried(): CarriedState<S> {
      return { state, lastEvidenceId };
    },
    /**
     * Hands over to a new run once every accepted Update and signal has finished, and only then reads the
     * state to carry: one still recording when the run decided to hand over is in the carried state too.
     */
    async continueAsNew<F extends Workflow>(input: (carried: CarriedState<S>) => Parameters<F>[0]): Promise<never> {
      await settle();
      return continueAsNew<F>(...([input({ state, lastEvidenceId })] as Parameters<F>));
    },
  };
}
