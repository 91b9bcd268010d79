/** Where a report the API rendered goes: stdout, or a file written whole or not at all. */
import { renameSync, writeFileSync } from 'node:fs';
import { printable } from './printable';

export function writeReport(
  text: string,
  out: string | undefined,
  io: { stdout: (t: string) => void; stderr: (t: string) => void },
  what: string,
): void {
  if (out === undefined) {
    io.stdout(text);
    return;
  }
  // Written beside the target and renamed: a reader never finds half a report under its name.
  const partial = `${out}.partial-${process.pid}`;
  writeFileSync(partial, text);
  renameSync(partial, out);
  io.stderr(`${what} written to ${printable(out)}\n`);
}
