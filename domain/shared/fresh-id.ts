/**
 * The first `<prefix>-<n>` (n from `start`) that `taken` does not claim. Ids a process derives from its
 * state this way are the same on every replay, unlike random ones.
 */
export function freshId(prefix: string, start: number, taken: (id: string) => boolean): string {
  for (let n = start; ; n += 1) {
    const id = `${prefix}-${n}`;
    if (!taken(id)) return id;
  }
}
