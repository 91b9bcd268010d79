/**
 * `aims keys rotate`: replaces the checkpoint signer key, as evidence (docs/evidence-format.md §12). It
 * writes a new key to FILE, records `CheckpointKeyRotated` (old and new verifier keys, who, when) in the
 * stream `evidence-log-keys`, then signs a checkpoint covering that event with the OLD key (so the key
 * being retired vouches for its successor) and one with the NEW key. Verifiers keep both keys in
 * AIMS_CHECKPOINT_VERIFIER_KEYS for as long as checkpoints signed by the old one are to be checked.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../../infra/config/config';
import { loadSigner, signCheckpoint } from '../../../../infra/event-store/evidence-checkpoints';
import { openEventStore } from '../../../../infra/event-store/open-event-store';
import { generateSignerKey, parseSignerKey } from '../../../../infra/event-store/signed-note';
import { UsageError } from '../usage-error';

export const KEY_ROTATION_STREAM = 'evidence-log-keys';

export const KEYS_ROTATE_USAGE = `  aims keys rotate --name NAME --out FILE [--store URL]
      Replace the signer key of AIMS_CHECKPOINT_KEY_FILE / AIMS_CHECKPOINT_KEY: write a new one to FILE,
      record the rotation as evidence, sign a checkpoint with the old key and one with the new, and print
      the new verifier key. Then point AIMS_CHECKPOINT_KEY_FILE at FILE and publish both verifier keys.`;

export async function keysRotateCommand(args: string[], stdout: (t: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, out: { type: 'string' }, store: { type: 'string' } },
    strict: true,
  });
  if (!values.name || !values.out) throw new UsageError(`keys rotate needs --name and --out\n\n${KEYS_ROTATE_USAGE}`);
  const config = loadConfig();
  const old = loadSigner(config.checkpoints);
  if (!old) throw new UsageError('keys rotate needs the current signer key: set AIMS_CHECKPOINT_KEY_FILE (or AIMS_CHECKPOINT_KEY)');
  let key: ReturnType<typeof generateSignerKey>;
  try {
    key = generateSignerKey(values.name);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (key.verifierKey === old.verifierKey) throw new UsageError('the new key is the old one');
  const out = path.resolve(values.out);
  try {
    // 'wx': never overwrite a key that may have signed checkpoints already.
    fs.writeFileSync(out, `${key.signerKey}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new UsageError(`cannot write ${out}: ${(error as Error).message}`);
  }
  const signer = parseSignerKey(key.signerKey);
  const store = await openEventStore(values.store ?? config.eventStoreUrl, { personalData: config.personalData });
  try {
    const recorded = await store.append(KEY_ROTATION_STREAM, [
      {
        id: randomUUID(),
        type: 'CheckpointKeyRotated',
        data: { origin: config.checkpoints.origin, oldVerifierKey: old.verifierKey, newVerifierKey: key.verifierKey },
        metadata: { source: 'aims keys rotate', actor: { id: os.userInfo().username, role: 'operator' } },
      },
    ]);
    const byOld = await signCheckpoint(store, config.checkpoints.origin, old);
    const byNew = await signCheckpoint(store, config.checkpoints.origin, signer);
    stdout(
      `${key.verifierKey}\n` +
        `rotation recorded at position ${recorded.lastPosition}; checkpoints signed by the old key ${old.name} (size ${byOld.treeSize}) and by the new key ${signer.name} (size ${byNew.treeSize})\n` +
        `next: AIMS_CHECKPOINT_KEY_FILE=${out}; AIMS_CHECKPOINT_VERIFIER_KEYS="${old.verifierKey} ${key.verifierKey}"\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
