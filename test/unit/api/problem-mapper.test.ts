/**
 * Issue 11, finding 7: what a workflow's failure becomes at the API. A domain refusal keeps its status; an
 * engine code without a domain error is a 409; a JavaScript error (RangeError, TypeError) is a 500
 * internal-error whose body names neither the error nor its message.
 */
import type { HttpException } from '@nestjs/common';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { isEngineFailureType, temporalProblem, type ProcessAddress } from '../../../apps/api/src/common/problem-mapper';
import { problem } from '../../../apps/api/src/common/problems';

const to: ProcessAddress = {
  workflowId: 'nonconformity-nc-1',
  evidencePath: '/v1/nonconformities/nc-1',
  notRunning: () => Promise.resolve(problem(404, 'NONCONFORMITY_NOT_RAISED', 'none')),
};

async function mapped(failure: ApplicationFailure): Promise<HttpException> {
  const result = await temporalProblem(new WorkflowUpdateFailedError('Workflow Update failed', failure), to, {}, 30_000);
  if (result === undefined) throw new Error('not mapped');
  return result;
}

describe('workflow failures as problems', () => {
  it.each([
    ['RangeError', 'Invalid time value'],
    ['TypeError', "Cannot read properties of undefined (reading 'x')"],
    ['Error', 'bug: something'],
  ])('given a %s thrown in a workflow, when mapped, then 500 internal-error with a generic detail', async (type, message) => {
    const result = await mapped(ApplicationFailure.create({ type, message }));
    expect(result.getStatus()).toBe(500);
    const body = result.getResponse();
    expect(body).toEqual({
      type: 'urn:aims:problem:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred; it has been logged.',
    });
    expect(JSON.stringify(body)).not.toContain(message);
    // kept on the exception for the server log, never in the body
    expect((result as Error & { cause?: unknown }).cause).toBeInstanceOf(WorkflowUpdateFailedError);
  });

  it('given an engine code without a domain error, when mapped, then 409 with that code', async () => {
    const result = await mapped(ApplicationFailure.create({ type: 'WRONG_WORKFLOW_ID', message: 'must run as x' }));
    expect(result.getStatus()).toBe(409);
    expect(result.getResponse()).toMatchObject({ code: 'WRONG_WORKFLOW_ID' });
  });

  it('given a domain refusal, when mapped, then its own status (VALIDATION_FAILED: 400)', async () => {
    const refusal = {
      kind: 'DomainError',
      code: 'VALIDATION_FAILED',
      message: 'bad',
      details: { issues: [{ field: 'f', problem: 'is bad' }] },
    };
    const result = await mapped(ApplicationFailure.create({ type: 'VALIDATION_FAILED', message: 'bad', details: [refusal] }));
    expect(result.getStatus()).toBe(400);
  });

  it.each([
    ['WRONG_WORKFLOW_ID', true],
    ['INVALID_TIMING', true],
    ['RangeError', false],
    ['Error', false],
    ['ERROR', false],
    [undefined, false],
  ])('given the failure type %s, when asked whether it is an engine code, then %s', (type, expected) => {
    expect(isEngineFailureType(type)).toBe(expected);
  });
});
