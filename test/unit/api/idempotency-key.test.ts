/**
 * The deployment gate's Idempotency-Key is scoped to the caller (issue 11, finding 8): the request id is a
 * hash of the caller's normalised identity and the key, never the key itself.
 */
import { HttpException } from '@nestjs/common';
import { requestIdFromIdempotencyKey } from '../../../apps/api/src/ai-systems/idempotency-key';

describe('requestIdFromIdempotencyKey', () => {
  it('given no key, then no request id (the workflow numbers the request)', () => {
    expect(requestIdFromIdempotencyKey(undefined, 'ci.pipeline')).toBeUndefined();
  });

  it('given a key that is a valid entity id, then it is still hashed: idem- and 40 hex', () => {
    expect(requestIdFromIdempotencyKey('ci-run-1001', 'ci.pipeline')).toMatch(/^idem-[0-9a-f]{40}$/);
    expect(requestIdFromIdempotencyKey('ci-run-1001', 'ci.pipeline')).not.toContain('ci-run-1001');
  });

  it('given the same caller and key, then the same id every time', () => {
    expect(requestIdFromIdempotencyKey('run-7:attempt-1', 'ci.pipeline')).toBe(
      requestIdFromIdempotencyKey('run-7:attempt-1', 'ci.pipeline'),
    );
  });

  it('given two identities sending the same key, then two different ids', () => {
    expect(requestIdFromIdempotencyKey('ci-run-1001', 'ci.pipeline')).not.toBe(requestIdFromIdempotencyKey('ci-run-1001', 'mallory'));
  });

  it('given spellings of one identity (case, full-width, spaces), then one id: they are one caller', () => {
    const id = requestIdFromIdempotencyKey('k1', 'ci.pipeline');
    expect(requestIdFromIdempotencyKey('k1', 'CI.Pipeline')).toBe(id);
    expect(requestIdFromIdempotencyKey('k1', ' ｃｉ.pipeline ')).toBe(id);
  });

  it('given keys that differ only in case, then different ids (keys are compared exactly)', () => {
    expect(requestIdFromIdempotencyKey('Run-1', 'ci')).not.toBe(requestIdFromIdempotencyKey('run-1', 'ci'));
  });

  it.each([['not ok!'], [''], ['x'.repeat(201)]])('given the malformed key %j, then 400', (key) => {
    expect(() => requestIdFromIdempotencyKey(key, 'ci')).toThrow(HttpException);
  });

  it('given the header twice, then 400', () => {
    expect(() => requestIdFromIdempotencyKey(['a', 'b'], 'ci')).toThrow(HttpException);
  });
});
