/**
 * Workflow `objective`: one AI objective (6.2), id and stream `objective-<id>`. Set by a person (the signed
 * start vouches); then, on a durable timer at the objective's interval, it measures: a computed measure is
 * computed from the evidence by an activity that streams the store (activities/measures.activities.ts) and
 * recorded as ObjectiveMeasured with the position and evidence it rests on; a manual one opens a
 * measurement task that its owner answers. A missed target opens what the objective's setting says: an
 * `improvement` (10.1) or a `nonconformity` (10.2), started here, vouched for by the objective's own
 * ObjectiveOffTargetActionOpened evidence. Rules: domain/objective. Messages: objective.messages.ts.
 */
import { ApplicationFailure, ParentClosePolicy, condition, log, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { MeasuresActivities } from '../activities/measures.activities';
import { improvementWorkflowId } from '../domain/improvement/improvement';
import { isManualMeasureId } from '../domain/measures/measures';
import { nonconformityWorkflowId } from '../domain/nonconformity';
import {
  decideObjective,
  evolveObjective,
  isObjectiveFinished,
  nextObjectiveStep,
  objectiveEventActor,
  objectiveEventData,
  objectiveEventReferences,
  objectiveStream,
  objectiveWorkflowId,
  OBJECTIVE_ACTOR,
  type ObjectiveCommand,
  type ObjectiveDefinition,
  type ObjectiveEvent,
  type ObjectiveOffTargetActionOpened,
  type ObjectiveState,
} from '../domain/objective';
import type { improvement } from './improvement.workflow';
import type { nonconformity } from './nonconformity.workflow';
import { DEFAULT_NONCONFORMITY_TIMING } from './nonconformity.messages';
import * as msg from './objective.messages';
import { recordedOf, type Decider, type Step } from './runtime/decider';
import { now, signedStart, startProcess } from './runtime/process';

export * from './objective.messages';

const objectiveDecider: Decider<ObjectiveState, ObjectiveCommand, ObjectiveEvent> = {
  decide: decideObjective,
  evolve: evolveObjective,
  eventData: objectiveEventData,
  eventActor: objectiveEventActor,
  references: objectiveEventReferences,
};

const { computeMeasure } = proxyActivities<MeasuresActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const definitionOf = (d: ObjectiveDefinition): ObjectiveDefinition => ({
  title: d.title,
  commitment: d.commitment,
  measureId: d.measureId,
  target: d.target,
  direction: d.direction,
  dueDate: d.dueDate,
  owner: d.owner,
  interval: d.interval,
  offTargetAction: d.offTargetAction,
  offTargetSeverity: d.offTargetSeverity,
});

export async function objective(input: msg.ObjectiveInput): Promise<ObjectiveState> {
  const expectedId = objectiveWorkflowId(input.objectiveId);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `Objective ${input.objectiveId} runs as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const p = startProcess({
    decider: objectiveDecider,
    stream: objectiveStream(input.objectiveId),
    state: input.carried?.state ?? null,
    causation: 'update',
    firstCause: input.carried?.lastEvidenceId ?? null,
    systemActor: OBJECTIVE_ACTOR,
  });
  const setting =
    input.carried === undefined
      ? p.begin(
          { type: 'SetAiObjective', objectiveId: input.objectiveId, ...definitionOf(input), by: input.by, at: now() },
          signedStart(input),
        )
      : null;

  const answered = (done: Step<ObjectiveEvent>): msg.ObjectiveStepResult => ({
    recorded: recordedOf([done]),
    objective: p.state,
    lastPosition: done.lastPosition,
  });
  p.update(msg.reviseObjectiveUpdate, {
    command: (a, { at, by }) => ({ type: 'SetAiObjective', objectiveId: input.objectiveId, ...definitionOf(a), by, at }),
    answer: answered,
  });
  p.update(msg.withdrawObjectiveUpdate, {
    command: (a, { at, by }) => ({ type: 'WithdrawAiObjective', reason: a.reason, by, at }),
    answer: answered,
  });
  p.update(msg.recordManualMeasurementUpdate, {
    command: (a, { at, by }) => ({
      type: 'RecordManualMeasurement',
      value: a.value,
      note: a.note ?? null,
      evidenceRefs: a.evidenceRefs ?? [],
      by,
      at,
    }),
    run: async (command, asked) => {
      const done = await p.step(command, asked);
      await openActions(done);
      return answered(done);
    },
  });
  p.query(msg.objectiveStateQuery, (s) => s);

  if (setting !== null) await setting;
  // The timer: sleep until the next measurement falls due, waking early when a step changes the state
  // (a revision, a manual measurement, a withdrawal), then measure under the queue.
  while (!isObjectiveFinished(p.state)) {
    if (p.version > 0 && workflowInfo().continueAsNewSuggested) {
      return p.continueAsNew<typeof objective>((carried) => ({ ...input, carried }));
    }
    const seen = p.version;
    const interrupted = (): boolean => p.version !== seen || isObjectiveFinished(p.state);
    const next = nextObjectiveStep(p.state);
    if (next === null) {
      await condition(interrupted);
      continue;
    }
    if (await condition(interrupted, Math.max(Date.parse(next) - Date.now(), 1), { summary: 'objective measurement due' })) continue;
    await p.queue(measureWhenDue);
  }
  await p.settle();
  return p.state;

  async function measureWhenDue(): Promise<void> {
    const s = p.state;
    const due = nextObjectiveStep(s);
    if (s === null || due === null || Date.parse(due) > Date.now()) return;
    if (isManualMeasureId(s.definition.measureId)) {
      await p.step({ type: 'OpenMeasurementTask', at: now() }, { system: true });
      return;
    }
    const at = now();
    const computed = await computeMeasure({ asOf: at, measureId: s.definition.measureId });
    const m = computed.measure;
    const done = await p.step(
      {
        type: 'MeasureObjective',
        measureId: s.definition.measureId,
        value: m.value,
        reason: m.reason,
        position: computed.position,
        evidence: m.evidence,
        at,
      },
      { system: true },
    );
    await openActions(done);
  }

  /** Starts the improvement or nonconformity each ObjectiveOffTargetActionOpened of the step names. */
  async function openActions(done: Step<ObjectiveEvent>): Promise<void> {
    for (const [i, e] of done.events.entries()) {
      if (e.type !== 'ObjectiveOffTargetActionOpened') continue;
      try {
        await startAction(e, done.evidenceIds[i]);
      } catch (error) {
        // The objective's record names the action; a person can still open it by hand.
        log.warn(
          `objective ${input.objectiveId}: ${e.kind} ${e.actionId} not started: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  async function startAction(e: ObjectiveOffTargetActionOpened, evidenceId: string): Promise<void> {
    const common = { parentClosePolicy: ParentClosePolicy.ABANDON, workflowIdReusePolicy: 'REJECT_DUPLICATE' as const };
    if (e.kind === 'action') {
      await startChild<typeof improvement>('improvement', {
        ...common,
        workflowId: improvementWorkflowId(e.actionId),
        args: [
          {
            improvementId: e.actionId,
            source: { kind: 'other', reference: `${objectiveStream(input.objectiveId)}#${e.sequence}` },
            description: e.description,
            owner: e.owner,
            openedBy: OBJECTIVE_ACTOR,
            objectiveId: input.objectiveId,
            triggeringEvidenceEventId: evidenceId,
          },
        ],
      });
      return;
    }
    await startChild<typeof nonconformity>('nonconformity', {
      ...common,
      workflowId: nonconformityWorkflowId(e.actionId),
      args: [
        {
          nonconformityId: e.actionId,
          openedBy: OBJECTIVE_ACTOR,
          title: `AI objective ${input.objectiveId} missed its target`,
          description: e.description,
          source: 'control_failure',
          sourceReference: `${objectiveStream(input.objectiveId)}#${e.sequence}`,
          severity: e.severity ?? 'minor',
          aiSystemIds: [],
          annexAControlIds: [],
          clauseIds: ['6.2', '9.1'],
          timing: DEFAULT_NONCONFORMITY_TIMING,
          objectiveId: input.objectiveId,
          triggeringEvidenceEventId: evidenceId,
        },
      ],
    });
  }
}
