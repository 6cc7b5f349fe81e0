/**
 * Reading reports from disk (validated with the panel's validator) and finding the latest report of
 * a CSV: beside it or in the output folder, matched by the report's input.sha256 or input.path.
 */

import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Report } from '../core/report/schema';
import { layerKindNames } from '../core/flow/kinds';
import { REPORT_LIMITS, validateReport } from '../core/report/validate';
import { readJsonFile } from '../core/util/json-file';
import { csvStem, outputFolderFor } from './settings';

export class ReportReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportReadError';
  }
}

/**
 * A report file: refused above REPORT_LIMITS.fileBytes before it is read, its JSON located by line and
 * column when it is broken, then validated (every field, README.md "Bad input and faults").
 */
export async function readReport(path: string): Promise<Report> {
  let data: unknown;
  try {
    data = await readJsonFile(path, 'the report', REPORT_LIMITS.fileBytes);
  } catch (e) {
    throw new ReportReadError(e instanceof Error ? e.message : String(e));
  }
  const v = validateReport(data, { layerKinds: layerKindNames() });
  if (!v.ok) {
    const more = v.errors.length > 3 ? ` (and ${v.errors.length - 3} more)` : '';
    throw new ReportReadError(`${path}: not an Action Lens report: ${v.errors.slice(0, 3).join('; ')}${more}`);
  }
  return v.report;
}

interface StatEntry<T> {
  mtimeMs: number;
  size: number;
  value: T;
}

/** Values computed from files, each kept while its file's mtime and size stay the same. */
class StatCache<T> {
  private readonly entries = new Map<string, StatEntry<T>>();

  /** The entry for the file as it is now (computed anew if it changed); null when it cannot be stat'ed. */
  async get(path: string, compute: (path: string) => T): Promise<StatEntry<T> | null> {
    let st;
    try {
      st = await fs.stat(path);
    } catch {
      return null;
    }
    const hit = this.entries.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const entry = { mtimeMs: st.mtimeMs, size: st.size, value: compute(path) };
    this.entries.set(path, entry);
    return entry;
  }

  delete(path: string): void {
    this.entries.delete(path);
  }
}

export interface FoundReport {
  reportPath: string;
  report: Report;
  /** The CSV's bytes differ from those the report was computed from. */
  stale: boolean;
}

/** Finds and caches reports of CSV files (for the hover, which asks on every mouse rest). */
export class ReportIndex {
  private readonly reports = new StatCache<Promise<Report | null>>();
  private readonly hashes = new StatCache<Promise<string>>();
  /** Reports this session wrote or opened, by CSV path (checked first). */
  private readonly known = new Map<string, string>();

  remember(csvPath: string, reportPath: string): void {
    this.known.set(resolve(csvPath), resolve(reportPath));
    this.reports.delete(resolve(reportPath));
  }

  forget(reportPath: string): void {
    this.reports.delete(resolve(reportPath));
  }

  /** The report at `path` (null if missing or invalid) and its file's mtime. */
  private async load(path: string): Promise<{ report: Report | null; mtimeMs: number } | null> {
    const entry = await this.reports.get(path, (p) => readReport(p).catch(() => null));
    return entry && { report: await entry.value, mtimeMs: entry.mtimeMs };
  }

  async sha256(path: string): Promise<string | null> {
    const entry = await this.hashes.get(path, (p) => {
      const sha256 = hashFile(p);
      sha256.catch(() => this.hashes.delete(p));
      return sha256;
    });
    return entry && entry.value;
  }

  /** Candidate report paths of a CSV, most specific first. */
  candidates(csvPath: string, outputFolder: string, baseFolder: string | undefined): string[] {
    const abs = resolve(csvPath);
    const stem = csvStem(abs);
    const out: string[] = [];
    const k = this.known.get(abs);
    if (k) out.push(k);
    out.push(join(outputFolderFor(abs, outputFolder, baseFolder), `${stem}.report.json`));
    out.push(join(dirname(abs), `${stem}.report.json`));
    return [...new Set(out)];
  }

  /** The latest report of the CSV: same bytes (sha256) preferred, else same path (then marked stale). */
  async find(csvPath: string, outputFolder: string, baseFolder: string | undefined): Promise<FoundReport | null> {
    const abs = resolve(csvPath);
    const found: { reportPath: string; report: Report; mtime: number }[] = [];
    for (const p of this.candidates(abs, outputFolder, baseFolder)) {
      const r = await this.load(p);
      if (r?.report) found.push({ reportPath: p, report: r.report, mtime: r.mtimeMs });
    }
    if (found.length === 0) return null;
    const sha = await this.sha256(abs).catch(() => null);
    const bySha = found.filter((f) => sha !== null && f.report.input.sha256 === sha).sort((a, b) => b.mtime - a.mtime)[0];
    if (bySha) return { reportPath: bySha.reportPath, report: bySha.report, stale: false };
    const byPath = found
      .filter((f) => samePath(f.report.input.path, f.reportPath, abs))
      .sort((a, b) => b.mtime - a.mtime)[0];
    if (byPath) return { reportPath: byPath.reportPath, report: byPath.report, stale: true };
    return null;
  }
}

/** Whether a report's input.path (absolute, or relative to the report's folder or cwd) names `csv`. */
function samePath(inputPath: string, reportPath: string, csv: string): boolean {
  if (resolve(inputPath) === csv) return true;
  if (resolve(dirname(reportPath), inputPath) === csv) return true;
  return basename(inputPath) === basename(csv) && dirname(resolve(dirname(reportPath), inputPath)) === dirname(csv);
}

export function hashFile(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    const s = createReadStream(path);
    s.on('data', (chunk) => h.update(chunk));
    s.on('error', rej);
    s.on('end', () => res(h.digest('hex')));
  });
}
