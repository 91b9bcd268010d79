/**
 * `aims evidence erase-subject IDENTITY --reason TEXT`: crypto-shredding of one data subject
 * (docs/personal-data.md). Destroys the subject's data key, so every field of the evidence sealed under it
 * reads "[erased]", and records the erasure as evidence (`PersonalDataErased` in
 * `personal-data-<subject id>`, by the operating-system user as `operator`). Nothing hashed changes: the
 * chain, the Merkle tree, checkpoints, proofs and packs verify as before.
 *
 * An operator's command, like key rotation, not an API endpoint: it destroys key material that only the
 * hosts holding the personal-data key can reach, and it cannot be undone, so it is run by the trusted
 * party of docs/security.md with the key at hand, not by any token holder.
 *
 * `aims evidence personal-data-key --out FILE` writes a new personal-data key (mode 0600, never
 * overwriting) for AIMS_PERSONAL_DATA_KEY_FILE.
 * Exit 0 done, 1 refused (unknown subject), 2 bad input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../../infra/config/config';
import { openEventStore } from '../../../../infra/event-store/open-event-store';
import { eraseSubject, UnknownSubjectError } from '../../../../infra/personal-data/erase-subject';
import { PersonalDataEventStore } from '../../../../infra/personal-data/personal-data-event-store';
import { generateKekText } from '../../../../infra/personal-data/subject-cipher';
import { printable } from '../printable';
import { UsageError } from '../usage-error';
import type { EvidenceIo } from './evidence.command';

export const ERASE_USAGE = `  aims evidence erase-subject IDENTITY|ps-SUBJECT --reason TEXT [--store URL] [--json]
      Erase a data subject: destroy the key their personal fields are sealed with (they then read
      "[erased]") and record PersonalDataErased (stream personal-data-<subject id>). Needs the
      personal-data key (AIMS_PERSONAL_DATA_KEY_FILE). The chain, tree and proofs still verify.
  aims evidence personal-data-key --out FILE
      Write a new personal-data key to FILE (mode 0600) for AIMS_PERSONAL_DATA_KEY_FILE.`;

export async function personalDataKeyCommand(args: string[], io: EvidenceIo): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } }, strict: true });
  if (!values.out) throw new UsageError(`personal-data-key needs --out FILE\n\n${ERASE_USAGE}`);
  try {
    fs.writeFileSync(values.out, `${generateKekText()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new UsageError(`cannot write ${values.out}: ${(error as Error).message}`);
  }
  io.stdout(`wrote a personal-data key to ${values.out}; set AIMS_PERSONAL_DATA_KEY_FILE=${values.out} on the API, worker and CLI hosts\n`);
  return 0;
}

export async function eraseSubjectCommand(args: string[], io: EvidenceIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { reason: { type: 'string' }, store: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError(`erase-subject needs one IDENTITY (or ps-… subject id)\n\n${ERASE_USAGE}`);
  const subject = positionals[0];
  if (!values.reason || values.reason.trim() === '')
    throw new UsageError('erase-subject needs --reason (e.g. "GDPR art. 17 request 2026-118")');
  const config = loadConfig();
  const store = await openEventStore(values.store ?? config.eventStoreUrl, { personalData: config.personalData });
  try {
    if (!(store instanceof PersonalDataEventStore)) {
      throw new UsageError(
        'personal data is not encrypted in this deployment (AIMS_PERSONAL_DATA_KEY_FILE is unset): nothing can be erased by destroying a key (docs/personal-data.md)',
      );
    }
    let outcome;
    try {
      outcome = await eraseSubject(store, {
        subject,
        reason: values.reason,
        by: { id: os.userInfo().username, role: 'operator' },
        source: 'aims evidence erase-subject',
      });
    } catch (error) {
      if (error instanceof UnknownSubjectError) {
        io.stderr(`aims: ${printable(error.message)}\n`);
        return 1;
      }
      throw error;
    }
    if (values.json) io.stdout(`${JSON.stringify({ erased: true, ...outcome })}\n`);
    else if (outcome.alreadyErased) io.stdout(`subject ${outcome.subjectId} was already erased; nothing to do\n`);
    else {
      io.stdout(
        `erased subject ${outcome.subjectId} (key ${outcome.keyId} destroyed); recorded PersonalDataErased at position ${outcome.position}\n` +
          'projections still hold what they read before: rebuild them (aims projections rebuild) to show "[erased]" there too\n',
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}
