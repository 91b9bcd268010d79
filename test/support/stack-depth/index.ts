/** A test workflow: how many frames a stack trace made deep inside workflow code keeps. */
function deep(n: number): number {
  return n === 0 ? (new Error('probe').stack ?? '').split('\n').length - 1 : deep(n - 1);
}

export async function stackDepth(depth: number): Promise<number> {
  return deep(depth);
}
