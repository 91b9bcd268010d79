/**
 * A separate writer process for the crash-safety and multi-process tests (run through ts-register.cjs):
 *   big-batch <url> <stream> <count>   open the store, print "ready", append one batch of <count> events
 *   writer <url> <name> <appends>      append <appends> small batches across three streams, then "done"
 * It prints "done <json result>" when it finishes; the crash test kills it before that.
 */
import { randomUUID } from 'node:crypto';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { NewEvidenceEvent } from '../../../infra/ports/event-store.port';

async function main(): Promise<void> {
  const [mode, url, name, countText] = process.argv.slice(2);
  const count = Number(countText);
  if (!url || !name || !Number.isInteger(count)) throw new Error('usage: big-batch|writer <url> <name> <count>');
  const store = await openEventStore(url, { poolSize: 2 });
  const event = (i: number): NewEvidenceEvent => ({
    id: randomUUID(),
    type: 'ControlTested',
    data: { writer: name, i, note: 'x'.repeat(200) },
    metadata: { actor: { id: `writer-${process.pid}`, role: 'test' }, source: 'evidence-writer.child' },
  });
  if (mode === 'big-batch') {
    const batch = Array.from({ length: count }, (_, i) => event(i));
    process.stdout.write('ready\n');
    const result = await store.append(name, batch, { expectedRevision: 'any' });
    process.stdout.write(`done ${JSON.stringify(result)}\n`);
  } else if (mode === 'writer') {
    let appended = 0;
    for (let k = 0; k < count; k++) {
      const size = 1 + (k % 3);
      await store.append(
        `load-${name}${k % 3}`,
        Array.from({ length: size }, (_, i) => event(k * 10 + i)),
      );
      appended += size;
    }
    process.stdout.write(`done ${JSON.stringify({ appended })}\n`);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
