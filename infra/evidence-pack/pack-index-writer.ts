/**
 * Writes a pack's index.md and index.html (domain/evidence/evidence-pack-index.ts renders the pieces):
 * for each AI system, its deployments with the artefact digests shipped, who approved or decided what,
 * and its whole timeline (its own stream merged with the nonconformities it links, in global order);
 * then every other stream's decisions and timeline. Each section re-reads its group's streams from the
 * store (as of the pack's point) and writes row by row, so no section is held in memory.
 */
import * as path from 'node:path';
import {
  DECISIONS,
  DEPLOYMENTS,
  HTML,
  type IndexedEvent,
  type IndexFormat,
  type IndexSection,
  isDecision,
  isDeployment,
  MARKDOWN,
  type PackIndexFacts,
  TIMELINE,
} from '../../domain/evidence/evidence-pack-index';
import type { EventStore, JsonObject } from '../ports/event-store.port';
import { mergeByPosition, MemberFile } from './pack-files';

export type IndexGroup = { kind: 'system'; systemId: string; streams: string[] } | { kind: 'stream'; streams: string[] };

export interface WrittenMember {
  name: string;
  path: string;
  size: number;
  sha256: string;
}

async function systemName(store: EventStore, stream: string, asOf: number): Promise<string | undefined> {
  for await (const event of store.readStream(stream, { asOf: { position: asOf }, maxCount: 1 })) {
    return typeof event.data.name === 'string' ? event.data.name : undefined;
  }
  return undefined;
}

export async function writePackIndex(
  store: EventStore,
  dir: string,
  groups: IndexGroup[],
  asOf: number,
  facts: PackIndexFacts,
): Promise<WrittenMember[]> {
  const outputs: Array<{ format: IndexFormat; file: MemberFile }> = [
    { format: MARKDOWN, file: new MemberFile('index.md', path.join(dir, 'index.md')) },
    { format: HTML, file: new MemberFile('index.html', path.join(dir, 'index.html')) },
  ];
  const write = async (piece: (format: IndexFormat) => string): Promise<void> => {
    for (const o of outputs) await o.file.write(piece(o.format));
  };
  try {
    await write((f) => f.start(facts));
    for (const group of groups) {
      const name = group.kind === 'system' ? await systemName(store, group.streams[0], asOf) : undefined;
      const title = group.kind === 'system' ? `AI system ${group.systemId}${name ? ` — ${name}` : ''}` : `Stream ${group.streams[0]}`;
      await write((f) => f.group(title, [`streams: ${group.streams.join(', ')}`]));
      const sections: Array<[IndexSection, (e: IndexedEvent) => boolean]> = [
        ...(group.kind === 'system' ? [[DEPLOYMENTS, isDeployment] as [IndexSection, (e: IndexedEvent) => boolean]] : []),
        [DECISIONS, isDecision],
        [TIMELINE, () => true],
      ];
      for (const [section, accepts] of sections) {
        await write((f) => f.sectionStart(section));
        let rows = 0;
        const events = mergeByPosition(group.streams.map((s) => store.readStream(s, { asOf: { position: asOf } })));
        for await (const event of events) {
          const indexed: IndexedEvent = { ...event, metadata: event.metadata as JsonObject };
          if (!accepts(indexed)) continue;
          rows++;
          await write((f) => f.row(section, indexed));
        }
        await write((f) => f.sectionEnd(section, rows));
      }
    }
    await write((f) => f.end());
    const written: WrittenMember[] = [];
    for (const o of outputs) {
      const sha256 = await o.file.close();
      written.push({ name: o.file.name, path: o.file.path, size: o.file.size, sha256 });
    }
    return written;
  } finally {
    outputs.forEach((o) => o.file.destroy());
  }
}
