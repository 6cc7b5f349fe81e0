#!/usr/bin/env node
// Checks that every Markdown document the code and the docs cite exists, with the sections they
// cite (docs/TESTING.md, "The check of the documentation's citations"). Run by `npm run lint`.
//
//   node scripts/check-doc-refs.mjs [root]      (root: the repository, by default this script's)
//
// It reads the text files under src/, webview/, test/, bench/, scripts/ and native/, README.md and
// the Markdown files under docs/, and finds every name of a Markdown file in them. A name with a
// folder is taken from the repository's root; a name without one must be a file at the root, and a
// file that lives in docs/ must be cited with its folder, so that every citation has one meaning.
// In Markdown files, link targets are taken from the linking file's folder, as renderers do.
// What follows a citation is checked too:
//   - `section 4`, `sections 2-6`, `section 4.3`: the cited file needs a heading `## 4.` (for a
//     whole number; every number of a range) or a heading `### 4.3` (for a subsection, any level);
//     `section 4 of` followed by the file works the same way;
//   - a quoted heading right after it, `, "The report"` or ` "## The report"`: the file needs a
//     heading with that text (backticks and case aside).
// A line of code that has to keep a citation the check would refuse (a string, say, that only its
// owner may change) is let through by a comment on the line before it whose text starts with the
// marker `doc-refs: ignore-next-line` (right after the comment's `//`, `*` or `#`; not in Markdown).
// Exit code 1 and one `file:line: problem` per problem when something does not resolve; 0 otherwise.
// Plain Node, no dependencies.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const SOURCE_DIRS = ['src', 'webview', 'test', 'bench', 'scripts', 'native'];
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'media', '.vscode-test', 'test-artifacts']);
const TEXT_FILE = /\.(?:[cm]?[jt]sx?|c|h|cc|cpp|sh|py|wat|css|html|md)$/i;

/** A Markdown file's name, possibly with folders and a leading `./` (as `docs/METHOD.md`, `README.md`). */
const MD_NAME = /(?<![\w./\\-])((?:\.{1,2}\/)*(?:[\w.-]+\/)*[\w-][\w.-]*\.md)(?![\w-]|\.\w)/g;
/** A Markdown link whose target is a Markdown file, with an optional anchor and title. */
const MD_LINK = /\]\(\s*<?([^)\s>]+?\.md)(#[^)\s>]*)?>?(?:\s+"[^"]*")?\s*\)/g;
const NUMBER = String.raw`\d+(?:\.\d+)?`;
/** After a name: `section 4`, `sections 2-6`, `sections 4 and 5`, `section 4.3`, `§ 7`. */
const SECTION_AFTER = new RegExp(String.raw`^(?:'s)?\s*[,(]?\s*(?:sections?\s+|§\s*)(${NUMBER})((?:\s*(?:-|–|to|and|,)\s*${NUMBER}(?![\w.]))*)`, 'i');
/** Before a name: `section 4 of`, `sections 2-6 in`. */
const SECTION_BEFORE = new RegExp(String.raw`(?:sections?\s+|§\s*)(${NUMBER})((?:\s*(?:-|–|to|and|,)\s*${NUMBER})*)\s+(?:of|in)\s+(?:the\s+)?[\x60"']?$`, 'i');
/** After a name: `, "Heading"` or ` "## Heading"`. */
const HEADING_AFTER = /^[\x60"']?\s*(?:,\s*"(?:#{1,6}\s+)?([^"]+)"|\s+"#{1,6}\s+([^"]+)")/;
const IGNORE_NEXT = /(?:\/\/|\/\*+|^\s*\*|#)\s*doc-refs:\s*ignore-next-line\b/;
/** A URL that a name found at the end of `before` belongs to. */
const URL_TAIL = /[a-z][\w+.-]*:\/\/\S*$/i;

function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    if (SKIP_DIRS.has(name)) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (TEXT_FILE.test(name)) out.push(p);
  }
  return out;
}

function filesToScan() {
  const files = [];
  for (const d of SOURCE_DIRS) walk(join(ROOT, d), files);
  if (existsSync(join(ROOT, 'README.md'))) files.push(join(ROOT, 'README.md'));
  files.push(...walk(join(ROOT, 'docs'), []).filter((f) => f.toLowerCase().endsWith('.md')));
  return [...new Set(files)];
}

const rel = (p) => relative(ROOT, p).split(sep).join('/');

/** Headings of a Markdown file outside fenced code: [{ level, text }]. */
const headingCache = new Map();
function headings(file) {
  let hs = headingCache.get(file);
  if (hs) return hs;
  hs = [];
  let fence = null;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1][0];
      else if (f[1][0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const m = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (m) hs.push({ level: m[1].length, text: m[2] });
  }
  headingCache.set(file, hs);
  return hs;
}

const normalizeHeading = (t) => t.replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();

/** Whether the file has the numbered heading that `section n` cites. */
function hasSection(file, n) {
  const whole = /^\d+$/.test(n);
  return headings(file).some((h) => {
    if (whole) return h.level === 2 && new RegExp(`^${n}\\.(?:\\s|$)`).test(h.text);
    return h.level >= 2 && new RegExp(`^${n.replace('.', '\\.')}\\.?(?:\\s|$)`).test(h.text);
  });
}

/** The section numbers of `4`, `2-6`, `4 and 5`, `4.1-4.3` (ranges of whole numbers are expanded). */
function sectionList(first, rest) {
  const out = [first];
  const re = new RegExp(`(-|–|to|and|,)\\s*(${NUMBER})`, 'gi');
  let prev = first;
  for (const m of rest.matchAll(re)) {
    const n = m[2];
    const range = m[1] === '-' || m[1] === '–' || m[1].toLowerCase() === 'to';
    if (range && /^\d+$/.test(prev) && /^\d+$/.test(n)) for (let k = Number(prev) + 1; k < Number(n); k++) out.push(String(k));
    out.push(n);
    prev = n;
  }
  return out;
}

/** The text that follows a citation: the rest of its line and the next line without comment markers. */
function following(lines, i, end) {
  const next = (lines[i + 1] ?? '').replace(/^\s*(?:\/\/+|\/\*+|\*+|#+|<!--)?\s*/, '');
  return `${lines[i].slice(end)} ${next}`;
}

function resolveName(name, fromFile, isLink) {
  const clean = name.replace(/\\/g, '/');
  if (isLink) return { path: resolve(dirname(fromFile), clean) };
  const stripped = clean.replace(/^(?:\.\/)+/, '');
  if (!stripped.includes('/')) {
    // A bare name: it must be a file at the root, and never a name that also lives in docs/.
    if (existsSync(join(ROOT, 'docs', stripped))) {
      return { problem: `cites ${stripped} without its folder: write docs/${stripped}` };
    }
    return { path: join(ROOT, stripped) };
  }
  return { path: resolve(ROOT, stripped) };
}

const problems = [];
let citations = 0;
const cited = new Set();

function check(file, lineNo, name, isLink, before, after) {
  citations++;
  const where = `${rel(file)}:${lineNo}`;
  const r = resolveName(name, file, isLink);
  if (r.problem) {
    problems.push(`${where}: ${r.problem}`);
    return;
  }
  const target = r.path;
  if (!existsSync(target) || !statSync(target).isFile()) {
    problems.push(`${where}: cites ${name}, which does not exist in the repository (looked for ${rel(target)})`);
    return;
  }
  cited.add(target);
  const sections = [];
  const a = SECTION_AFTER.exec(after);
  if (a) sections.push(...sectionList(a[1], a[2]));
  const b = SECTION_BEFORE.exec(before);
  if (b) sections.push(...sectionList(b[1], b[2]));
  for (const n of sections) {
    if (!hasSection(target, n)) {
      const want = /^\d+$/.test(n) ? `"## ${n}."` : `"${n}"`;
      problems.push(`${where}: cites ${name} section ${n}, but ${rel(target)} has no heading ${want}`);
    }
  }
  const h = HEADING_AFTER.exec(after);
  if (h) {
    const title = h[1] ?? h[2];
    const wanted = normalizeHeading(title);
    if (!headings(target).some((x) => normalizeHeading(x.text) === wanted)) {
      problems.push(`${where}: cites ${name}, "${title}", but ${rel(target)} has no heading "${title}"`);
    }
  }
}

function scan(file) {
  const isMarkdown = file.toLowerCase().endsWith('.md');
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  let skip = false;
  lines.forEach((line, i) => {
    if (skip) {
      skip = false;
      return;
    }
    if (!isMarkdown && IGNORE_NEXT.test(line)) skip = true;
    const taken = [];
    if (isMarkdown) {
      for (const m of line.matchAll(MD_LINK)) {
        if (URL_TAIL.test(m[1]) || /^[a-z][\w+.-]*:/i.test(m[1])) continue;
        const end = m.index + m[0].length;
        taken.push([m.index, end]);
        check(file, i + 1, m[1], true, line.slice(0, m.index), following(lines, i, end));
      }
    }
    for (const m of line.matchAll(MD_NAME)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([s, e]) => start >= s && end <= e)) continue;
      const before = line.slice(0, start);
      if (URL_TAIL.test(before)) continue;
      check(file, i + 1, m[1], false, before, following(lines, i, end));
    }
  });
}

const files = filesToScan();
for (const f of files) scan(f);
if (problems.length > 0) {
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.stderr.write(`check-doc-refs: ${problems.length} citation(s) of Markdown files do not resolve (in ${ROOT})\n`);
  process.exit(1);
}
process.stdout.write(`check-doc-refs: ${citations} citations of ${cited.size} Markdown files in ${files.length} files resolve\n`);
