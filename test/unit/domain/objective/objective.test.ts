/** AI objectives (6.2) as a decider: who sets them, how they are measured, and what a missed target opens. */
import {
  decideObjective,
  evolveObjective,
  nextObjectiveStep,
  type ObjectiveCommand,
  type ObjectiveEvent,
  type SetAiObjective,
} from '../../../../domain/objective';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide: decideObjective, evolve: evolveObjective, initialState: null });
const AT = '2026-04-01T10:00:00.000Z';
const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };
const erin: Actor = { id: 'erin', roles: ['engineer'] };
const tom: Actor = { id: 'tom', roles: ['top_management'] };

const set = (extra: Partial<SetAiObjective> = {}): SetAiObjective => ({
  type: 'SetAiObjective',
  objectiveId: 'OBJ-1',
  title: 'Every production system has a current impact assessment',
  commitment: { text: 'We assess the impact of every AI system before and while it is used.', documentRef: null },
  measureId: 'production-impact-assessment-coverage',
  target: 1,
  direction: 'at_least',
  dueDate: '2026-12-31',
  owner: 'erin',
  interval: 'P7D',
  offTargetAction: 'action',
  offTargetSeverity: 'minor',
  by: olivia,
  at: AT,
  ...extra,
});
const measure = (value: number | null, at = AT): ObjectiveCommand => ({
  type: 'MeasureObjective',
  measureId: 'production-impact-assessment-coverage',
  value,
  reason: value === null ? 'no AI system is in production' : null,
  position: 42,
  evidence: ['ev-1'],
  at,
});
const wasSet = (extra: Partial<SetAiObjective> = {}): ObjectiveEvent[] => given().when(set(extra)).then([expect.anything()]).events;

test('given nothing, when the AIMS owner sets an objective, then AiObjectiveSet, revision 1, measured at once; an engineer may not', () => {
  const { state } = given()
    .when(set())
    .then([expect.objectContaining({ type: 'AiObjectiveSet', revision: 1, by: { id: 'olivia', role: 'aims_owner' }, target: 1 })]);
  expect(nextObjectiveStep(state)).toBe(AT);
  given()
    .when(set({ by: erin }))
    .then(expectError('MISSING_ROLE'));
});

test('given bad input, then VALIDATION_FAILED names every field at fault', () => {
  given()
    .when(
      set({
        objectiveId: '-bad',
        commitment: { text: null, documentRef: null },
        measureId: 'happiness',
        target: Number.NaN,
        direction: 'more' as never,
        dueDate: '2026-13-40',
        interval: 'P1M',
        offTargetAction: 'email' as never,
      }),
    )
    .then(
      expectError('VALIDATION_FAILED', {
        issues: ['objectiveId', 'commitment', 'measureId', 'target', 'direction', 'dueDate', 'interval', 'offTargetAction'].map(
          (field) => ({
            field,
            problem: expect.any(String),
          }),
        ),
      }),
    );
});

test('given an objective, when top management revises it, then revision 2 with the new target; withdrawn, nothing more is accepted', () => {
  const { state } = given(wasSet())
    .when(set({ target: 0.9, by: tom }))
    .then([expect.objectContaining({ type: 'AiObjectiveSet', revision: 2, target: 0.9 })]);
  expect(state?.definition.target).toBe(0.9);
  const withdrawn = [
    ...wasSet(),
    ...given(wasSet()).when({ type: 'WithdrawAiObjective', reason: 'superseded by OBJ-2', by: tom, at: AT }).then([expect.anything()])
      .events,
  ];
  given(withdrawn).when(measure(1)).then(expectError('OBJECTIVE_WITHDRAWN'));
  given(withdrawn).when(set()).then(expectError('OBJECTIVE_WITHDRAWN'));
});

test('given an objective, when a measurement meets the target, then ObjectiveMeasured on target and the next one an interval later', () => {
  const { state } = given(wasSet())
    .when(measure(1))
    .then([
      expect.objectContaining({
        type: 'ObjectiveMeasured',
        sequence: 1,
        value: 1,
        target: 1,
        direction: 'at_least',
        onTarget: true,
        position: 42,
        evidence: ['ev-1'],
      }),
    ]);
  expect(nextObjectiveStep(state)).toBe('2026-04-08T10:00:00.000Z');
});

test('given an objective, when a measurement misses the target, then its action opens once, not again until it was met in between', () => {
  const off = given(wasSet())
    .when(measure(0.5))
    .then([
      expect.objectContaining({ type: 'ObjectiveMeasured', onTarget: false }),
      expect.objectContaining({
        type: 'ObjectiveOffTargetActionOpened',
        kind: 'action',
        actionId: 'OBJ-1-off-1',
        owner: 'erin',
        severity: null,
      }),
    ]);
  const history = [...wasSet(), ...off.events];
  given(history)
    .when(measure(0.4))
    .then([expect.objectContaining({ type: 'ObjectiveMeasured', onTarget: false })]);
  // A figure that cannot be computed neither meets nor misses the target, and opens nothing.
  given(wasSet())
    .when(measure(null))
    .then([expect.objectContaining({ type: 'ObjectiveMeasured', value: null, onTarget: false, reason: 'no AI system is in production' })]);
  const met = given(history).when(measure(1)).then([expect.anything()]).events;
  given([...history, ...met])
    .when(measure(0.2))
    .then([expect.anything(), expect.objectContaining({ type: 'ObjectiveOffTargetActionOpened', actionId: 'OBJ-1-off-3' })]);
});

test('given an objective set to raise a nonconformity, when it misses an at-most target, then a nonconformity of its severity opens', () => {
  given(
    wasSet({
      measureId: 'open-nonconformities',
      target: 2,
      direction: 'at_most',
      offTargetAction: 'nonconformity',
      offTargetSeverity: 'major',
    }),
  )
    .when({ ...measure(3), measureId: 'open-nonconformities' } as ObjectiveCommand)
    .then([expect.anything(), expect.objectContaining({ kind: 'nonconformity', severity: 'major' })]);
  given(wasSet())
    .when({ ...measure(3), measureId: 'open-nonconformities' } as ObjectiveCommand)
    .then(expectError('MEASURE_MISMATCH'));
});

test('given a manual measure, then a measurement task opens on the timer and the owner answers it with the figure; others may not', () => {
  const manual = wasSet({ measureId: 'manual:staff-trained-share', target: 0.8 });
  given(manual).when(measure(1)).then(expectError('MEASURE_MISMATCH'));
  const opened = given(manual)
    .when({ type: 'OpenMeasurementTask', at: AT })
    .then([
      expect.objectContaining({
        type: 'HumanTaskOpened',
        taskId: 'OBJ-1-measure-1',
        assignee: 'erin',
        kind: 'objective_measurement',
        dueAt: '2026-04-08T10:00:00.000Z',
      }),
    ]);
  expect(nextObjectiveStep(opened.state)).toBeNull();
  const withTask = [...manual, ...opened.events];
  given(withTask).when({ type: 'OpenMeasurementTask', at: AT }).then(expectError('MEASUREMENT_TASK_NOT_DUE'));
  const record = (by: Actor, value: unknown): ObjectiveCommand =>
    ({
      type: 'RecordManualMeasurement',
      value,
      note: 'from the training register',
      evidenceRefs: ['HR-2026-04'],
      by,
      at: AT,
    }) as ObjectiveCommand;
  given(withTask)
    .when(record({ id: 'omar', roles: ['engineer'] }, 0.9))
    .then(expectError('NOT_OBJECTIVE_OWNER'));
  given(withTask)
    .when(record(erin, 'lots'))
    .then(expectError('VALIDATION_FAILED', { issues: [{ field: 'value' }] }));
  const { state } = given(withTask)
    .when(record(erin, 0.7))
    .then([
      expect.objectContaining({ type: 'HumanTaskDecided', taskId: 'OBJ-1-measure-1', by: { id: 'erin', role: 'engineer' } }),
      expect.objectContaining({ type: 'ObjectiveMeasured', value: 0.7, onTarget: false, position: null, evidence: ['HR-2026-04'] }),
      expect.objectContaining({ type: 'ObjectiveOffTargetActionOpened' }),
    ]);
  expect(state?.tasks[0].status).toBe('decided');
  expect(nextObjectiveStep(state)).toBe('2026-04-08T10:00:00.000Z');
  given(wasSet()).when(record(olivia, 1)).then(expectError('MEASURE_COMPUTED'));
});
