/**
 * Reads a C2SP signed note carrying a tlog-checkpoint (https://c2sp.org/signed-note,
 * https://c2sp.org/tlog-checkpoint), as the server's infra/event-store/signed-note.ts writes it:
 *   origin \n tree size \n base64 root hash \n [extension lines] \n \n "— name base64(key hash ‖ signature)" \n …
 * Parsing only: the signatures are shown, not verified (that needs the log's verifier key).
 */
export interface NoteSignature {
  /** The signing key's name. */
  name: string;
  /** The first 4 bytes of the signature: the key hash, in 8 hex digits. */
  keyHash: string;
  /** The line as it stands in the note. */
  line: string;
}

export interface CheckpointNote {
  origin: string;
  treeSize: number;
  /** Base64, as in the note. */
  rootHash: string;
  signatures: NoteSignature[];
}

const SIGNATURE_LINE = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u;

export function parseCheckpointNote(note: string): CheckpointNote {
  const cut = note.lastIndexOf('\n\n');
  if (cut < 0 || !note.endsWith('\n')) throw new Error('no signature block after a blank line');
  const [origin, size, root] = note.slice(0, cut + 1).split('\n');
  if (!origin || !/^(0|[1-9]\d*)$/.test(size ?? '') || !Number.isSafeInteger(Number(size))) {
    throw new Error('not a tlog-checkpoint: origin, then tree size');
  }
  if (!/^[A-Za-z0-9+/]{43}=$/.test(root ?? '')) throw new Error('not a tlog-checkpoint: the root hash is not 32 bytes in base64');
  const signatures = note
    .slice(cut + 2, -1)
    .split('\n')
    .map((line): NoteSignature => {
      const match = SIGNATURE_LINE.exec(line);
      if (!match) throw new Error(`not a signature line: "${line}"`);
      const raw = atob(match[2]);
      if (raw.length < 5) throw new Error('a signature too short for its key hash');
      const keyHash = [...raw.slice(0, 4)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
      return { name: match[1], keyHash, line };
    });
  return { origin, treeSize: Number(size), rootHash: root, signatures };
}
