/**
 * `aims keys generate`: a new Ed25519 key for signing evidence checkpoints. The signer key (secret) goes
 * to a file readable by its owner only, which AIMS_CHECKPOINT_KEY_FILE then names; the verifier key
 * (public, name+hash+base64) is printed, to publish and to give auditors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSignerKey } from '../../../../infra/event-store/signed-note';
import { UsageError } from '../usage-error';
import { KEYS_ROTATE_USAGE, keysRotateCommand } from './keys-rotate.command';

export const KEYS_USAGE = `Usage:
  aims keys generate --name NAME --out FILE
      Write a new checkpoint signer key to FILE (mode 0600; refuses to overwrite) and print its verifier
      key. NAME identifies the key in signatures, e.g. the log origin (no spaces or "+").
${KEYS_ROTATE_USAGE}`;

export async function keysCommand(argv: string[], stdout: (t: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'rotate') return keysRotateCommand(rest, stdout);
  if (sub !== 'generate') throw new UsageError(`keys needs the subcommand generate or rotate\n\n${KEYS_USAGE}`);
  const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, out: { type: 'string' } }, strict: true });
  if (!values.name || !values.out) throw new UsageError(`keys generate needs --name and --out\n\n${KEYS_USAGE}`);
  let key: ReturnType<typeof generateSignerKey>;
  try {
    key = generateSignerKey(values.name);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const out = path.resolve(values.out);
  // 'wx': never overwrite a key that may have signed checkpoints already.
  fs.writeFileSync(out, `${key.signerKey}\n`, { mode: 0o600, flag: 'wx' });
  stdout(`${key.verifierKey}\n`);
  return 0;
}
