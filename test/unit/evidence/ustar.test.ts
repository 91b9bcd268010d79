/**
 * The pack's own ustar writer and reader: round trips at block edges, the system's tar reads what we write
 * and we read what it writes, and a damaged archive (header changed, cut anywhere, a link or directory
 * member) is refused with the right problem.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeArchive } from '../../../infra/evidence-pack/pack-files';
import { readTar, TarFormatError } from '../../../infra/evidence-pack/ustar';

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAllMembers(bytes: Buffer, chunk = 7): Promise<Array<{ name: string; body: Buffer }>> {
  const members: Array<{ name: string; body: Buffer }> = [];
  for await (const entry of readTar(chunksOf(bytes, chunk))) {
    const parts: Buffer[] = [];
    for await (const part of entry.body) parts.push(part);
    members.push({ name: entry.name, body: Buffer.concat(parts) });
  }
  return members;
}

describe('ustar', () => {
  let dir: string;
  const bodies = [0, 1, 511, 512, 513, 70_000].map((n, i) => ({ name: `m${i}.bin`, content: randomBytes(n) }));

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-ustar-'));
    const big = path.join(dir, 'big.src');
    fs.writeFileSync(big, bodies[5].content);
    await writeArchive(
      path.join(dir, 'ours.tar'),
      bodies.map((b, i) => (i === 5 ? { name: b.name, content: { file: big, size: b.content.length } } : b)),
      1_700_000_000,
      false,
    );
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips members of sizes around the block edges, read in odd-sized chunks', async () => {
    const members = await readAllMembers(fs.readFileSync(path.join(dir, 'ours.tar')));
    expect(members.map((m) => m.name)).toEqual(bodies.map((b) => b.name));
    members.forEach((m, i) => expect(m.body.equals(bodies[i].content)).toBe(true));
  });

  it('is read by the system tar, and reads what it writes', async () => {
    const listing = execFileSync('tar', ['-tvf', path.join(dir, 'ours.tar')], { encoding: 'utf8' });
    expect(listing).toMatch(/^-rw-r--r-- root\/root +0 2023-11-1\d \d\d:\d\d m0\.bin$/m);
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    execFileSync('tar', ['-xf', path.join(dir, 'ours.tar'), '-C', out]);
    bodies.forEach((b) => expect(fs.readFileSync(path.join(out, b.name)).equals(b.content)).toBe(true));
    for (const format of ['ustar', 'gnu']) {
      const theirs = path.join(dir, `theirs-${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '-cf', theirs, '-C', out, ...bodies.map((b) => b.name)]);
      const members = await readAllMembers(fs.readFileSync(theirs), 4096);
      expect(members.map((m) => m.name)).toEqual(bodies.map((b) => b.name));
      members.forEach((m, i) => expect(m.body.equals(bodies[i].content)).toBe(true));
    }
  });

  it('skips a body the reader does not read', async () => {
    const names: string[] = [];
    for await (const entry of readTar(chunksOf(fs.readFileSync(path.join(dir, 'ours.tar')), 1000))) names.push(entry.name);
    expect(names).toEqual(bodies.map((b) => b.name));
  });

  const problem = async (bytes: Buffer): Promise<string> => {
    try {
      await readAllMembers(bytes, 512);
      return 'none';
    } catch (error) {
      if (error instanceof TarFormatError) return error.problem;
      throw error;
    }
  };

  it('calls an archive cut anywhere truncated, and a changed header malformed', async () => {
    const bytes = fs.readFileSync(path.join(dir, 'ours.tar'));
    for (const at of [0 + 100, 512, 1024 + 1, 3000, bytes.length - 1024, bytes.length - 1]) {
      expect(await problem(bytes.subarray(0, at))).toBe('truncated');
    }
    const changed = Buffer.from(bytes);
    changed[0] = 'n'.charCodeAt(0); // the first member's name, checksum left as it was
    expect(await problem(changed)).toBe('malformed');
    expect(await problem(Buffer.alloc(1024, 0x41))).toBe('malformed');
  });

  it('refuses members that are not regular files (a link could point anywhere once extracted)', async () => {
    const src = path.join(dir, 'withlink');
    fs.mkdirSync(src);
    fs.symlinkSync('/etc/passwd', path.join(src, 'link'));
    const tar = path.join(dir, 'link.tar');
    execFileSync('tar', ['--format=ustar', '-cf', tar, '-C', src, 'link']);
    expect(await problem(fs.readFileSync(tar))).toBe('malformed');
  });
});
