import { collectDriverGarbage } from '../../../bench/api-bench-load';

describe("the bench driver's own collection", () => {
  it('given an object no longer referenced, when the driver collects its heap, then the object is gone', async () => {
    // Made in a function of its own, so nothing on this stack still holds it.
    const weak = ((): WeakRef<object> => new WeakRef({ payload: 'x'.repeat(1024) }))();
    // A WeakRef's target is kept until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectDriverGarbage();
    expect(weak.deref()).toBeUndefined();
  });

  it('given it was called before, when called again, then it collects again without failing', () => {
    collectDriverGarbage();
    expect(() => collectDriverGarbage()).not.toThrow();
  });
});
