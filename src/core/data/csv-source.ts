import { createHash, type Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { InputError } from '../util/errors';

/**
 * The bytes of a CSV file, read once, front to back, read-only. The head is read first (for
 * delimiter sniffing) and then replayed as the first chunk, so the file is read a single time
 * and the sha256 covers exactly the bytes that were parsed.
 */
export interface CsvSource {
  /** The first bytes of the file (at least a few dozen lines unless the file is shorter). */
  head: Buffer;
  /** True when `head` is the whole file. */
  headIsAll: boolean;
  /** The file's size in bytes when it was opened. */
  size: number;
  /** All bytes of the file, starting with `head`, hashed on the way. */
  chunks(): AsyncGenerator<Buffer>;
  /**
   * The consumer is done with a chunk from chunks() and keeps no view of it: the next read may go into
   * its memory (a chunk a read, garbage to collect, is otherwise about the file's size in all).
   */
  reuse(chunk: Buffer): void;
  /** Hex sha256 of every byte yielded by chunks(); valid once it has been drained. */
  sha256(): string;
  close(): Promise<void>;
}

export interface SourceTuning {
  /** Bytes per read; small values are used by tests to split records across chunks. */
  chunkBytes: number;
  /** The head stops growing once it holds this many line breaks... */
  headLines: number;
  /** ...or this many bytes. */
  headMaxBytes: number;
}

export async function openSource(path: string, tuning: SourceTuning, signal?: AbortSignal): Promise<CsvSource> {
  signal?.throwIfAborted();
  const handle = await openReadOnly(path);
  try {
    const size = await assertRegularFile(handle, path);
    const hash = createHash('sha256');
    const { head, eof } = await readHead(handle, path, hash, tuning, signal);
    return new FileSource(handle, path, hash, head, eof, size, tuning.chunkBytes);
  } catch (err) {
    await handle.close();
    throw err;
  }
}

// 'r' only: the user's file is never opened for writing.
async function openReadOnly(path: string): Promise<fs.FileHandle> {
  try {
    return await fs.open(path, 'r');
  } catch (err) {
    throw fileError(err, path);
  }
}

/** The file's size; a directory is refused. */
async function assertRegularFile(handle: fs.FileHandle, path: string): Promise<number> {
  const stat = await handle.stat();
  if (stat.isDirectory()) throw new InputError('is a directory, not a CSV file', { file: path });
  return stat.size;
}

async function readHead(
  handle: fs.FileHandle,
  path: string,
  hash: Hash,
  tuning: SourceTuning,
  signal?: AbortSignal,
): Promise<{ head: Buffer; eof: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  let breaks = 0;
  while (breaks <= tuning.headLines && size < tuning.headMaxBytes) {
    signal?.throwIfAborted();
    const chunk = await readChunk(handle, path, tuning.chunkBytes);
    if (chunk.length === 0) return { head: Buffer.concat(parts), eof: true };
    hash.update(chunk);
    parts.push(chunk);
    size += chunk.length;
    breaks += countByte(chunk, 0x0a) + countByte(chunk, 0x0d);
  }
  return { head: Buffer.concat(parts), eof: false };
}

// A fresh buffer per read (unless one was handed back with reuse): the parser keeps views of earlier
// chunks while a record spans them.
async function readChunk(handle: fs.FileHandle, path: string, bytes: number, spare: Buffer | null = null): Promise<Buffer> {
  const buffer = spare ?? Buffer.allocUnsafe(bytes);
  try {
    const { bytesRead } = await handle.read(buffer, 0, bytes, null);
    return buffer.subarray(0, bytesRead);
  } catch (err) {
    throw fileError(err, path);
  }
}

function countByte(chunk: Buffer, byte: number): number {
  let n = 0;
  for (let i = chunk.indexOf(byte); i !== -1; i = chunk.indexOf(byte, i + 1)) n++;
  return n;
}

class FileSource implements CsvSource {
  private digest: string | undefined;
  private spare: Buffer | null = null;

  constructor(
    private readonly handle: fs.FileHandle,
    private readonly path: string,
    private readonly hash: Hash,
    readonly head: Buffer,
    readonly headIsAll: boolean,
    readonly size: number,
    private readonly chunkBytes: number,
  ) {}

  async *chunks(): AsyncGenerator<Buffer> {
    if (this.head.length > 0) yield this.head;
    if (this.headIsAll) return;
    while (true) {
      const spare = this.spare;
      this.spare = null;
      const chunk = await readChunk(this.handle, this.path, this.chunkBytes, spare);
      if (chunk.length === 0) return;
      this.hash.update(chunk);
      yield chunk;
    }
  }

  reuse(chunk: Buffer): void {
    // Only a whole read buffer of this source (not the head, not a slice of something else).
    if (chunk.byteOffset === 0 && chunk.buffer.byteLength === this.chunkBytes && chunk !== this.head) this.spare = Buffer.from(chunk.buffer, 0, this.chunkBytes);
  }

  sha256(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** The file system's complaint, turned into a message a user can act on. */
function fileError(err: unknown, path: string): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new InputError('file not found', { file: path });
    case 'EACCES':
    case 'EPERM':
      return new InputError('cannot read the file: permission denied', { file: path });
    case 'EISDIR':
      return new InputError('is a directory, not a CSV file', { file: path });
    case 'ENOTDIR':
      return new InputError('file not found (a part of the path is not a folder)', { file: path });
    default: {
      const detail = err instanceof Error ? err.message : String(err);
      return new InputError(`cannot read the file: ${detail}`, { file: path });
    }
  }
}
