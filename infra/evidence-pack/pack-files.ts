/**
 * File plumbing shared by the pack writer: a member written to a temporary file while its SHA-256 and size
 * are computed (so the manifest can list them before the archive is assembled), the ordered merge of
 * several streams' events by global position, and the archive assembly itself.
 */
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { RecordedEvidenceEvent } from '../ports/event-store.port';
import { TAR_END, tarHeader, tarPadding } from './ustar';

export class MemberFile {
  private readonly stream: fs.WriteStream;
  private readonly hash: Hash = createHash('sha256');
  size = 0;

  constructor(
    readonly name: string,
    readonly path: string,
  ) {
    this.stream = fs.createWriteStream(path);
  }

  async write(text: string): Promise<void> {
    if (text === '') return;
    const bytes = Buffer.from(text, 'utf8');
    this.hash.update(bytes);
    this.size += bytes.length;
    if (!this.stream.write(bytes)) await once(this.stream, 'drain');
  }

  /** Closes the file; its digest (hex). */
  async close(): Promise<string> {
    await new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return this.hash.digest('hex');
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/** Events of several streams (each in revision order, hence position order) merged into position order. */
export async function* mergeByPosition(sources: AsyncIterable<RecordedEvidenceEvent>[]): AsyncGenerator<RecordedEvidenceEvent> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const heads = await Promise.all(iterators.map((it) => it.next()));
  try {
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i];
        if (!head.done && (best < 0 || head.value.position < (heads[best].value as RecordedEvidenceEvent).position)) best = i;
      }
      if (best < 0) return;
      yield heads[best].value as RecordedEvidenceEvent;
      heads[best] = await iterators[best].next();
    }
  } finally {
    for (const [i, it] of iterators.entries()) if (!heads[i].done) await it.return?.(undefined);
  }
}

export interface ArchiveMember {
  name: string;
  /** The member's bytes: in memory (small members) or a file written earlier. */
  content: Buffer | { file: string; size: number };
}

/** Writes the members as a ustar archive (gzip-compressed when asked) to `out`. */
export async function writeArchive(out: string, members: ArchiveMember[], mtimeSeconds: number, gzip: boolean): Promise<void> {
  async function* bytes(): AsyncGenerator<Buffer> {
    for (const member of members) {
      const size = Buffer.isBuffer(member.content) ? member.content.length : member.content.size;
      yield tarHeader(member.name, size, mtimeSeconds);
      if (Buffer.isBuffer(member.content)) yield member.content;
      else {
        let read = 0;
        for await (const chunk of fs.createReadStream(member.content.file)) {
          read += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
        if (read !== size) throw new Error(`member ${member.name} changed size while being archived`);
      }
      yield tarPadding(size);
    }
    yield TAR_END;
  }
  const target = fs.createWriteStream(out);
  if (gzip) await pipeline(Readable.from(bytes()), createGzip(), target);
  else await pipeline(Readable.from(bytes()), target);
}
