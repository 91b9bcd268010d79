/**
 * A small POSIX ustar (IEEE Std 1003.1-1988, the `ustar` format every `tar` reads) writer and reader, for
 * evidence packs: regular files only, names of at most 100 ASCII characters, no links, no directories.
 * The reader streams (one member's body at a time, in bounded chunks) and never writes anything to disk,
 * so reading a hostile archive cannot create or overwrite a file. It checks each header's checksum, the
 * `ustar` magic and the end-of-archive marker, and reports a cut-off archive as truncated.
 */

const BLOCK = 512;
const MAX_NAME = 100;
/** Largest member the 11 octal digits of the size field can say: 8 GiB - 1. */
export const MAX_TAR_MEMBER_SIZE = 8 ** 11 - 1;

export class TarFormatError extends Error {
  constructor(
    readonly problem: 'truncated' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'TarFormatError';
  }
}

function octal(value: number, width: number): string {
  // width - 1 digits, then NUL: the classic form every reader accepts.
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** The 512-byte ustar header of a regular file. */
export function tarHeader(name: string, size: number, mtimeSeconds: number, mode = 0o644): Buffer {
  if (!/^[\x21-\x7e]{1,100}$/.test(name) || name.length > MAX_NAME)
    throw new RangeError(`a tar member name is 1-100 printable ASCII characters: "${name}"`);
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_TAR_MEMBER_SIZE)
    throw new RangeError(`tar member ${name} is too large: ${size}`);
  const header = Buffer.alloc(BLOCK, 0);
  header.write(name, 0, 'ascii');
  header.write(octal(mode, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii'); // uid
  header.write(octal(0, 8), 116, 'ascii'); // gid
  header.write(octal(size, 12), 124, 'ascii');
  header.write(octal(Math.max(0, Math.floor(mtimeSeconds)), 12), 136, 'ascii');
  header.write('        ', 148, 'ascii'); // checksum field counts as spaces while summing
  header.write('0', 156, 'ascii'); // typeflag: regular file
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write('root', 265, 'ascii'); // uname
  header.write('root', 297, 'ascii'); // gname
  header.write(octal(checksum(header), 7), 148, 'ascii');
  header[155] = 0x20;
  return header;
}

function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum;
}

/** Zero bytes that pad a member's body to a whole block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK, 0);
}

/** Two zero blocks: the end of the archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK, 0);

export interface TarEntry {
  name: string;
  size: number;
  /** The body in chunks; read it (or not) before asking for the next entry. */
  body: AsyncIterable<Buffer>;
}

/** Pulls exact byte counts out of a chunked stream. */
class ByteSource {
  private buffered: Buffer[] = [];
  private length = 0;
  private done = false;

  constructor(private readonly chunks: AsyncIterator<Buffer>) {}

  /** Up to `max` bytes (at least one), or null at the end of the input. */
  async some(max: number): Promise<Buffer | null> {
    if (this.length === 0 && !(await this.fill())) return null;
    const first = this.buffered[0];
    const take = Math.min(max, first.length);
    const out = first.subarray(0, take);
    if (take === first.length) this.buffered.shift();
    else this.buffered[0] = first.subarray(take);
    this.length -= take;
    return out;
  }

  /** Exactly `n` bytes, or null when the input ends first (the bytes read are then lost: it was cut). */
  async exactly(n: number): Promise<Buffer | null> {
    while (this.length < n) if (!(await this.fill())) return null;
    const all = Buffer.concat(this.buffered);
    this.buffered = all.length > n ? [all.subarray(n)] : [];
    this.length = all.length - n;
    return all.subarray(0, n);
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    if (chunk.length > 0) {
      this.buffered.push(chunk);
      this.length += chunk.length;
    }
    return true;
  }
}

function field(header: Buffer, offset: number, width: number): string {
  const raw = header.subarray(offset, offset + width);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? width : end).toString('latin1');
}

function octalField(header: Buffer, offset: number, width: number, what: string): number {
  const text = field(header, offset, width).trim();
  if (!/^[0-7]{1,11}$/.test(text)) throw new TarFormatError('malformed', `tar header ${what} is not an octal number: "${text}"`);
  return parseInt(text, 8);
}

/**
 * The members of a ustar archive, in order. Throws TarFormatError('truncated') when the input ends inside a
 * header or a body or before the end-of-archive marker, and ('malformed') on a bad checksum, a header that
 * is not ustar, or a member that is not a regular file.
 */
export async function* readTar(input: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const source = new ByteSource(input[Symbol.asyncIterator]());
  for (;;) {
    const header = await source.exactly(BLOCK);
    if (!header) throw new TarFormatError('truncated', 'the archive ends without its end-of-archive marker (two zero blocks)');
    if (header.every((b) => b === 0)) {
      const second = await source.exactly(BLOCK);
      if (!second) throw new TarFormatError('truncated', 'the archive ends inside its end-of-archive marker');
      if (!second.every((b) => b === 0)) throw new TarFormatError('malformed', 'a zero block followed by data');
      return;
    }
    if (octalField(header, 148, 8, 'checksum') !== checksum(header)) {
      throw new TarFormatError('malformed', 'a tar header checksum does not match (the header was changed or the archive is damaged)');
    }
    // POSIX 'ustar\0' or GNU tar's 'ustar  ': both mean the header layout read here.
    if (!header.subarray(257, 262).equals(Buffer.from('ustar'))) throw new TarFormatError('malformed', 'not a POSIX ustar header');
    const prefix = header[262] === 0 ? field(header, 345, 155) : ''; // GNU headers keep other fields there
    const name = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    const type = String.fromCharCode(header[156]);
    if (type !== '0' && type !== '\0') throw new TarFormatError('malformed', `member "${name}" is not a regular file (type "${type}")`);
    const size = octalField(header, 124, 12, 'size');
    let remaining = size;
    const next = async (): Promise<Buffer> => {
      const chunk = await source.some(Math.min(remaining, 64 * 1024));
      if (!chunk) throw new TarFormatError('truncated', `the archive ends inside member "${name}"`);
      remaining -= chunk.length;
      return chunk;
    };
    const body = async function* (): AsyncGenerator<Buffer> {
      while (remaining > 0) yield await next();
    };
    yield { name, size, body: body() };
    while (remaining > 0) await next(); // skip what the caller did not read
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad > 0 && !(await source.exactly(pad))) throw new TarFormatError('truncated', `the archive ends after member "${name}"`);
  }
}
