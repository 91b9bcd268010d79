/**
 * `aims evidence anchor --to FILE|URL`: sends the latest signed checkpoint, with its witnesses'
 * cosignatures, somewhere the operator of this database cannot change (a file on other storage, an
 * auditor's or a transparency service's URL), and records that it did, as evidence: the event
 * `EvidenceCheckpointAnchored` in the stream `evidence-log-anchors` says where, when, by whom, and which
 * tree size and root (docs/evidence-format.md §11). Exit 0 sent and recorded, 1 not delivered (nothing
 * recorded), 2 bad input.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../../infra/config/config';
import { openEventStore } from '../../../../infra/event-store/open-event-store';
import { checkpointCosigners, loadWitnesses, noteWithCosignatures } from '../../../../infra/event-store/witness-cosignatures';
import { printable } from '../printable';
import { UsageError } from '../usage-error';
import type { EvidenceIo } from './evidence.command';

export const ANCHOR_STREAM = 'evidence-log-anchors';

export const ANCHOR_USAGE = `  aims evidence anchor --to FILE|URL [--store URL] [--json]
      Write the latest signed checkpoint (with its witnesses' cosignatures) to a new FILE, or POST it as
      text/plain to an http(s) URL, and record where it went as evidence (stream ${ANCHOR_STREAM}).`;

/** Where it went, as recorded: a URL without credentials, query or fragment (they may hold secrets). */
function recordedTarget(to: string): { kind: 'file' | 'url'; target: string } {
  if (!/^https?:\/\//i.test(to)) return { kind: 'file', target: path.resolve(to) };
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new UsageError(`--to ${to} is not a valid URL`);
  }
  return { kind: 'url', target: `${url.protocol}//${url.host}${url.pathname}` };
}

export async function anchorCommand(args: string[], io: EvidenceIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { to: { type: 'string' }, store: { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  if (!values.to) throw new UsageError(`anchor needs --to FILE|URL\n\n${ANCHOR_USAGE}`);
  const to = values.to;
  const { kind, target } = recordedTarget(to);
  const config = loadConfig();
  const store = await openEventStore(values.store ?? config.eventStoreUrl, { personalData: config.personalData });
  try {
    const checkpoint = await store.latestCheckpoint();
    if (!checkpoint) throw new UsageError('no checkpoint is stored yet: sign one first (aims evidence checkpoint)');
    const note = await noteWithCosignatures(store, checkpoint);
    let httpStatus: number | undefined;
    if (kind === 'file') {
      try {
        // 'wx': an anchor written earlier is never overwritten.
        fs.writeFileSync(target, note, { flag: 'wx' });
      } catch (error) {
        throw new UsageError(`cannot write ${target}: ${(error as Error).message}`);
      }
    } else {
      let response: Response;
      try {
        response = await fetch(to, { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: note });
      } catch (error) {
        io.stderr(`aims: the checkpoint was not delivered to ${target}: ${printable((error as Error).message)}\n`);
        return 1;
      }
      httpStatus = response.status;
      if (!response.ok) {
        io.stderr(`aims: ${target} answered ${response.status}: the checkpoint was not accepted, nothing was recorded\n`);
        return 1;
      }
    }
    const { cosignedBy } = await checkpointCosigners(store, checkpoint, loadWitnesses(config.checkpoints));
    const data = {
      kind,
      to: target,
      ...(httpStatus === undefined ? {} : { httpStatus }),
      origin: checkpoint.origin,
      treeSize: checkpoint.treeSize,
      rootHash: checkpoint.rootHash.toString('base64'),
      checkpointId: checkpoint.id,
      signedBy: checkpoint.keyName,
      cosignedBy: cosignedBy.map((c) => c.witness),
    };
    const result = await store.append(ANCHOR_STREAM, [
      {
        id: randomUUID(),
        type: 'EvidenceCheckpointAnchored',
        data,
        metadata: { source: 'aims evidence anchor', actor: { id: os.userInfo().username, role: 'operator' } },
      },
    ]);
    if (values.json) io.stdout(`${JSON.stringify({ anchored: true, position: result.lastPosition, ...data })}\n`);
    else {
      io.stdout(
        `anchored checkpoint ${checkpoint.origin} size ${checkpoint.treeSize} (cosigned by ${data.cosignedBy.length ? data.cosignedBy.join(', ') : 'no witness'}) to ${target}; recorded at position ${result.lastPosition}\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}
