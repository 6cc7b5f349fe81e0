import { promises as fs } from 'node:fs';
import { parseJson } from '../report/validate-text';
import { InputError } from './errors';

/** Bytes in words (the limits in messages). */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toPrecision(3)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toPrecision(3)} kB`;
  return `${n} bytes`;
}

/**
 * Reads and parses a JSON file of ours (a model, a report) that may be anything: refused before it is
 * read when it is larger than `maxBytes` or not a regular file, when it grows while it is read (the
 * read stops one byte past the size it had), and when its text is not JSON (the message names the
 * line and column). `what` names the file's role in messages ("the model", "the report").
 */
export async function readJsonFile(path: string, what: string, maxBytes: number): Promise<unknown> {
  let bytes: Buffer;
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(path, 'r');
    const st = await handle.stat();
    if (!st.isFile()) throw new InputError(`${what} is not a regular file`, { file: path });
    if (st.size > maxBytes) {
      throw new InputError(`${what} is ${formatBytes(st.size)}, more than the ${formatBytes(maxBytes)} this tool reads; refused without reading it`, { file: path });
    }
    // One byte more than the file has: a file that grows while it is read shows by filling it.
    const buffer = Buffer.alloc(st.size + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) break;
    }
    if (filled > st.size) throw new InputError(`${what} changed while it was read; try again once it is written`, { file: path });
    bytes = buffer.subarray(0, filled);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read ${what}: ${e instanceof Error ? e.message : String(e)}`, { file: path });
  } finally {
    await handle?.close();
  }
  // An editor may have saved it with a byte-order mark, which JSON does not allow.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new InputError(`${what} is empty`, { file: path });
  const parsed = parseJson(text);
  if (!parsed.ok) throw new InputError(`${what} is not valid JSON: ${parsed.error}`, { file: path, line: parsed.line, column: parsed.column });
  return parsed.value;
}
