/**
 * The resources an AI system depends on (7.1, A.4.4–A.4.6): the whole list with owners, recorded by an
 * engineer or the AIMS owner with a reason, replacing the list before; bad entries name their field; who
 * may not record it is refused; a decommissioned system records none.
 */
import type { AiSystemCommand, AiSystemResource } from '../../../../domain/ai-system';
import { after, aimsOwner, approver, at, developer, fieldsOf, given, register, registered, thenError, thenEvents, when } from './scenario';

const gpu: AiSystemResource = {
  resourceId: 'gpu-pool',
  kind: 'compute',
  name: 'Shared GPU pool',
  description: '4 × A100 in the training cluster',
  owner: 'it-operations',
};
const mlflow: AiSystemResource = {
  resourceId: 'mlflow',
  kind: 'tooling',
  name: 'MLflow',
  description: 'experiment tracking',
  owner: 'erin',
};
const validatorTime: AiSystemResource = {
  resourceId: 'validation-team',
  kind: 'human',
  name: 'Model validation, 2 days per release',
  description: '',
  owner: 'victor',
};
const record = (resources: unknown, by = developer, minute = 5, reason = 'first inventory of what it runs on'): AiSystemCommand =>
  ({ type: 'RecordResources', resources, reason, by, at: at(minute) }) as AiSystemCommand;

describe('the resources an AI system depends on (7.1, A.4.4–A.4.6)', () => {
  test('given a registered system, when an engineer records its tooling, compute and human resources, then ResourcesRecorded holds the list with owners', () => {
    const s = given(register());
    const events = thenEvents(when(s, record([gpu, mlflow, validatorTime])));
    expect(events).toEqual([
      {
        type: 'ResourcesRecorded',
        resources: [gpu, mlflow, validatorTime],
        reason: 'first inventory of what it runs on',
        previousCount: 0,
        by: { id: 'dev', role: 'engineer' },
        at: at(5),
      },
    ]);
    expect(after(s, when(s, record([gpu, mlflow, validatorTime]))).resources).toEqual([gpu, mlflow, validatorTime]);
  });

  test('a later list replaces the one before (the evidence keeps both); the AIMS owner may record it too', () => {
    const s = given(register(), record([gpu, mlflow]));
    const events = thenEvents(when(s, record([gpu], aimsOwner, 6, 'MLflow retired')));
    expect(events[0]).toMatchObject({ previousCount: 2, by: { id: 'amara', role: 'aims_owner' } });
    expect(after(s, when(s, record([gpu], aimsOwner, 6, 'MLflow retired'))).resources).toEqual([gpu]);
    expect(registered(given(register())).resources).toBeUndefined();
  });

  test('bad entries name their field; a repeated id is refused; an approver may not record resources', () => {
    const s = given(register());
    const refused = thenError(
      when(
        s,
        record([
          { ...gpu, kind: 'budget' },
          { ...mlflow, owner: ' ' },
          { ...mlflow, resourceId: '-x' },
        ]),
      ),
      'VALIDATION_FAILED',
    );
    expect(fieldsOf(refused)).toEqual(['resources[0].kind', 'resources[1].owner', 'resources[2].resourceId']);
    expect(fieldsOf(thenError(when(s, record([gpu, gpu])), 'VALIDATION_FAILED'))).toEqual(['resources']);
    expect(fieldsOf(thenError(when(s, record('gpu')), 'VALIDATION_FAILED'))).toEqual(['resources']);
    expect(fieldsOf(thenError(when(s, record([gpu], developer, 5, '')), 'VALIDATION_FAILED'))).toEqual(['reason']);
    thenError(when(s, record([gpu], approver)), 'MISSING_ROLE');
  });
});
