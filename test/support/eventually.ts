/**
 * Polls `read` until `done` holds; fails naming `what`, with the last value, after a generous bound. For state
 * that settles in the background (a workflow's timers, a projector, another process): never a timing assertion.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  boundMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const giveUpAt = Date.now() + boundMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
