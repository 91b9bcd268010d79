import { CheckpointSignal } from '../../../infra/projections/checkpoint-signal';

/** Which settles first: the wait, or a macrotask queued now (the wait's own timer is a minute away). */
function first(wait: Promise<void>): Promise<'woken' | 'still waiting'> {
  return Promise.race([
    wait.then(() => 'woken' as const),
    new Promise<'still waiting'>((resolve) => setImmediate(() => resolve('still waiting'))),
  ]);
}

describe('CheckpointSignal', () => {
  it('given waiters, when the checkpoint moves, then every one of them is woken at once, not at its next look', async () => {
    const signal = new CheckpointSignal();
    const waits = [signal.wait(60_000), signal.wait(60_000)];
    signal.moved();
    expect(await Promise.all(waits.map(first))).toEqual(['woken', 'woken']);
  });

  it('given no move, when a waiter waits, then it looks again only when its pause is over', async () => {
    const signal = new CheckpointSignal();
    const wait = signal.wait(60_000);
    expect(await first(wait)).toBe('still waiting');
    signal.moved();
    await wait;
  });
});
