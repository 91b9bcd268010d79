import { AuthFailureThrottle, ConcurrencyLimit } from '../../../apps/api/src/edge/throttling';

describe('AuthFailureThrottle', () => {
  it('given failures up to the limit, when counted, then the address waits until its window ends, then may try again', () => {
    let now = 1_000_000;
    const throttle = new AuthFailureThrottle({ max: 2, windowMs: 60_000 }, () => now);
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
    now += 10_000;
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(50);
    expect(throttle.retryAfterSeconds('10.0.0.2')).toBe(0);
    now += 49_500;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(1);
    now += 500;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('given a flood of addresses, when tracked, then memory stays bounded and recent addresses are still throttled', () => {
    const now = 0;
    const throttle = new AuthFailureThrottle({ max: 1, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 100_010; i++) throttle.recordFailure(`a${i}`);
    expect(throttle.retryAfterSeconds('a100009')).toBe(60);
    expect(throttle.retryAfterSeconds('a0')).toBe(0);
  });
});

describe('ConcurrencyLimit', () => {
  it('given the slots taken, when more work comes, then it is refused at once; a failing run frees its slot', async () => {
    const limit = new ConcurrencyLimit(1);
    let release: () => void = () => undefined;
    const first = limit.tryRun(() => new Promise<string>((resolve) => (release = () => resolve('done'))));
    expect(await limit.tryRun(async () => 'second')).toBeNull();
    release();
    expect(await first).toEqual({ value: 'done' });
    await expect(limit.tryRun(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit.tryRun(async () => 'third')).toEqual({ value: 'third' });
  });
});
