/**
 * scripts/check-doc-refs.mjs (run by `npm run lint`): every Markdown file a comment or a document
 * cites exists, with the numbered sections and the headings cited (docs/TESTING.md, "The check of
 * the documentation's citations"). Run on a small tree with good and bad citations, then on this
 * repository.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const CHECKER = join(ROOT, 'scripts', 'check-doc-refs.mjs');

/** A Markdown file name, spelled so that this file does not cite it (the checker reads this file too). */
const md = (name: string): string => `${name}.${'md'}`;

function runChecker(root?: string): { status: number; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, root === undefined ? [CHECKER] : [CHECKER, root], { cwd: ROOT, encoding: 'utf8' });
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'action-lens-doc-refs-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const GUIDE = ['# Guide', '', '## 1. First', '', '### 1.2 A part', '', '## 2. Second', '', '## 3. Third', '', '## The contract', ''].join('\n');

test('a tree whose citations all resolve passes', () => {
  const dir = tree({
    [md('docs/GUIDE')]: GUIDE,
    [md('README')]: `# Readme\n\nSee ${md('docs/GUIDE')} sections 1-3 and [the guide](${md('docs/GUIDE')}#1-first).\n`,
    'src/a.ts': [
      `/** Conventions (${md('docs/GUIDE')} section 1). */`,
      `// Split across lines: ${md('docs/GUIDE')}`,
      '// section 2.',
      `// A subsection, ${md('docs/GUIDE')} section 1.2; section 3 of ${md('docs/GUIDE')}.`,
      `// The contract (${md('README')}, "Readme") and (${md('docs/GUIDE')} "## The contract").`,
      `const url = 'https://example.org/${md('NOWHERE')}';`,
      '',
    ].join('\n'),
    [md('docs/OTHER')]: `Links are relative to the file: [guide](${md('GUIDE')}), [readme](../${md('README')}).\n`,
  });
  const res = runChecker(dir);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /check-doc-refs: \d+ citations .* resolve/);
});

test('a missing file, a missing section, a missing heading and a bare docs/ name fail with file:line', () => {
  const dir = tree({
    [md('docs/GUIDE')]: GUIDE,
    [md('README')]: '# Readme\n',
    'src/a.ts': [
      '// fine',
      `// gone: ${md('docs/GONE')}`,
      `/** no such section (${md('docs/GUIDE')} section 7) */`,
      `// a range that runs past the end: ${md('docs/GUIDE')} sections 2-4`,
      `// bare: ${md('GUIDE')} section 1`,
      `// no such heading: ${md('README')}, "Nothing"`,
      `// no such subsection: ${md('docs/GUIDE')} section 2.1`,
      '',
    ].join('\n'),
    'test/b.test.ts': `// doc-refs: ignore-next-line (a string that only its owner may change)\ntest('${md('GONE')}', () => {});\ntest('${md('ALSO_GONE')}', () => {});\n`,
    [md('docs/NOTES')]: `Relative link from docs/: [x](${md('MISSING')}).\n`,
  });
  const res = runChecker(dir);
  assert.equal(res.status, 1, res.stdout);
  const lines = res.stderr.trim().split('\n');
  const expect: Array<[string, RegExp]> = [
    ['src/a.ts:2:', /GONE.*does not exist/],
    ['src/a.ts:3:', /section 7.*no heading "## 7\."/],
    ['src/a.ts:4:', /section 4.*no heading "## 4\."/],
    ['src/a.ts:5:', /without its folder: write docs\/GUIDE/],
    ['src/a.ts:6:', /"Nothing".*no heading/],
    ['src/a.ts:7:', /section 2\.1.*no heading "2\.1"/],
    ['test/b.test.ts:3:', /ALSO_GONE.*does not exist/],
    [`${md('docs/NOTES')}:1:`, /MISSING.*does not exist/],
  ];
  for (const [where, what] of expect) {
    assert.ok(lines.some((l) => l.startsWith(where) && what.test(l)), `expected ${where} ${what} in:\n${res.stderr}`);
  }
  // Exactly these: section 2 and 3 of the range exist, and the ignored line is not reported.
  assert.equal(lines.filter((l) => /^[\w/.-]+:\d+: /.test(l)).length, expect.length, res.stderr);
  assert.ok(!lines.some((l) => l.startsWith('test/b.test.ts:2:')), res.stderr);
  assert.match(lines[lines.length - 1], /check-doc-refs: 8 citation\(s\) .* do not resolve/);
});

test('every Markdown file and section this repository cites exists', () => {
  const res = runChecker();
  assert.equal(res.status, 0, res.stderr);
});
