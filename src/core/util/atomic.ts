import { promises as fs, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, basename, join, resolve } from 'node:path';
import { InputError } from './errors';

/**
 * Writes a file atomically: a temporary file in the same folder, then a rename, so a reader never
 * sees half a file and a crash never leaves one. Refuses to write over any path in `protect`
 * (the user's input is never written).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, protect: string[] = []): Promise<void> {
  guard(path, protect);
  const tmp = tempName(path);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array, protect: string[] = []): void {
  guard(path, protect);
  const tmp = tempName(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw err;
  }
}

function guard(path: string, protect: string[]): void {
  const target = resolve(path);
  for (const p of protect) {
    if (resolve(p) === target) throw new InputError(`refusing to write over the input file; choose another output path`, { file: path });
  }
}

/** A temporary name of its own: two writers of one path (two runs, or two threads of one process) never share one. */
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.${randomBytes(6).toString('hex')}.tmp`);
}
