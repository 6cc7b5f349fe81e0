// The CSV header hover's content (src/extension/hoverContent.ts): the link on the first line, short
// enough to show whole, coefficients to their significance, the expansion point and the warnings
// that bear on the meaning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionTerm, Report } from '../../../src/core/report/schema';
import { actionWarnings, expansionPoint, HOVER_MAX_LINES, hoverContent, omittedColumnContent } from '../../../src/extension/hoverContent';
import { formatCoefficient } from '../../../src/panel/numbers';

function fixture(): Report {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures/report.sample.json'), 'utf8')) as Report;
}

/** Every monomial up to `order` in `d` variables (sorted indices), with made-up coefficients and errors. */
function fullAction(d: number, order: number): ActionTerm[] {
  const terms: ActionTerm[] = [];
  const grow = (mono: number[], from: number): void => {
    terms.push({ monomial: mono, coefficient: mono.length === 0 ? -3 : 0.37 / (1 + mono.reduce((a, b) => a + b + 1, 0)) * (mono.length % 2 ? -1 : 1), stdErr: 0.0041 });
    if (mono.length === order) return;
    for (let i = from; i < d; i++) grow([...mono, i], i);
  };
  grow([], 0);
  return terms;
}

/** The user's case: five measured quantities, order 4. */
function fiveColumns(): Report {
  const r = fixture();
  r.input.columns = ['temp', 'pressure', 'humidity', 'wind', 'light'];
  delete r.input.sourceColumns;
  r.action = { ...r.action, order: 4, terms: fullAction(5, 4) };
  r.warnings = [];
  return r;
}

const nonBlankLines = (md: string): string[] => md.split('\n').map((l) => l.trim()).filter((l) => l !== '');

test('the link is on the first line, with the column name; the hover fits in 12 lines', () => {
  const c = hoverContent(fiveColumns(), 0, '/w/data.report.json', false);
  const lines = nonBlankLines(c.markdown);
  assert.match(lines[0], /^\*\*temp\*\* · \[Open in Action Lens\]\(command:actionLens\.showColumn\?/);
  assert.ok(decodeURIComponent(lines[0]).includes(JSON.stringify(['/w/data.report.json', 0])));
  assert.equal(lines.length, c.lines);
  assert.ok(c.lines <= HOVER_MAX_LINES, `${c.lines} lines:\n${c.markdown}`);
  assert.equal((c.markdown.match(/\]\(command:/g) ?? []).length, 1, 'one link');
  // Two paragraphs (head, terms), their lines joined by hard breaks: no list or paragraph margins,
  // which would push the lines past the hover's height.
  assert.equal(c.markdown.trim().split('\n\n').length, 2);
  assert.ok(c.markdown.trim().split('\n\n').every((p) => p.split('\n').slice(0, -1).every((l) => l.endsWith('  '))));
});

test('self terms first (all four orders), then the strongest couplings, cut with "… N more"', () => {
  const r = fiveColumns();
  const c = hoverContent(r, 2, 'r.json', false);
  const lines = nonBlankLines(c.markdown);
  const self = lines.findIndex((l) => l.startsWith('**Self terms** of ln p up to order 4 (raw units):'));
  const couplings = lines.indexOf('**Strongest couplings:**');
  assert.ok(self > 0 && couplings > self);
  assert.deepEqual(c.shown.slice(0, 4).map((t) => t.monomial), [[2], [2, 2], [2, 2, 2], [2, 2, 2, 2]]);
  const listedCouplings = c.shown.slice(4);
  assert.ok(listedCouplings.length >= 1 && listedCouplings.every((t) => t.monomial.includes(2) && t.monomial.some((i) => i !== 2)));
  for (let k = 1; k < listedCouplings.length; k++) assert.ok(Math.abs(listedCouplings[k - 1].coefficient) >= Math.abs(listedCouplings[k].coefficient));
  const total = r.action.terms.filter((t) => t.monomial.includes(2) && t.monomial.some((i) => i !== 2)).length;
  assert.equal(lines[lines.length - 1], `… ${total - listedCouplings.length} more`);
  // Coefficients to their significance, from the shared formatter.
  for (const t of c.shown) assert.ok(c.markdown.includes(`\`${formatCoefficient(t.coefficient, t.stdErr)}\``), t.label);
  assert.match(c.markdown, /: `-0\.0925 ± 0\.0041`/);
});

test('the expansion point is named when it is not 0 (hovered column first, raw units); absent or zero says nothing', () => {
  const r = fiveColumns();
  assert.equal(expansionPoint(r), null);
  assert.doesNotMatch(hoverContent(r, 0, 'r.json', false).markdown, /around/);
  r.action.expansionPoint = [0, 0, 0, 0, 0];
  assert.equal(expansionPoint(r), null);
  r.action.expansionPoint = [300.1, 101325, 0.45, 3, 0];
  const md = hoverContent(r, 2, 'r.json', false).markdown;
  assert.match(md, /\*\*Self terms\*\* of ln p up to order 4 \(raw units, around humidity = 0\.45, temp = 300\.1, pressure = 1\.013e5, …\):/);
  // A malformed point (wrong length, not numbers) is ignored rather than shown wrong.
  r.action.expansionPoint = [1, 2];
  assert.equal(expansionPoint(r), null);
  (r.action as { expansionPoint?: unknown }).expansionPoint = ['1', 2, 3, 4, 5];
  assert.equal(expansionPoint(r), null);
});

test('warnings about the meaning: at most two, one short line each, convergence first; others stay in the panel', () => {
  const r = fiveColumns();
  r.warnings = [
    '17 rows were skipped (non-numeric cells).',
    'Diagrams were not computed: 4845 monomials up to order 4 in 16 variables exceed the limit of 4000.',
    "The held-out NLL (1.2345) is worse than a Gaussian fit's (1.2000).",
    'Standard errors were skipped: the run was cancelled.',
    'The order-4 series of ln p converges only within |x| < 2.31 (raw units, around x = 0), but the median row has |x| = 3.02: the truncated action describes the model near 0, not across the data.',
  ];
  assert.deepEqual(actionWarnings(r.warnings).map((w) => w.slice(0, 12)), ['The order-4 ', 'The held-out', 'Standard err']);
  const c = hoverContent(r, 0, 'r.json', true);
  const lines = nonBlankLines(c.markdown);
  // As rendered: the backslash escapes gone.
  const warned = lines.filter((l) => l.startsWith('⚠ ')).map((l) => l.replace(/\\(.)/g, '$1'));
  assert.equal(warned.length, 2);
  assert.match(warned[0], /^⚠ The order-4 series of ln p converges only within \|x\| < 2\.31 /);
  assert.ok(warned[0].endsWith('…'), 'a long warning is cut');
  assert.match(warned[1], /^⚠ The held-out NLL/);
  assert.ok(warned.every((w) => w.length <= 92), 'one short line each');
  assert.ok(lines.includes('*The file changed since this report was computed.*'));
  assert.ok(c.lines <= HOVER_MAX_LINES, `${c.lines} lines:\n${c.markdown}`);
  assert.ok(c.shown.length >= 3, 'still some terms');
});

test('names and warnings from the report are escaped; few terms are listed without cuts', () => {
  const r = fixture();
  r.warnings = ['Training was cancelled at epoch 3 [see](command:workbench.action.quit).'];
  const c = hoverContent(r, 1, 'r.json', false);
  assert.ok(!/(^|[^\\])</.test(c.markdown), `every < is escaped:\n${c.markdown}`);
  assert.ok(!c.markdown.includes('](command:workbench'), c.markdown);
  assert.match(c.markdown, /⚠ Training was cancelled at epoch 3 \\\[see\\\]\\\(command\\:workbench/);
  // Two columns, order 2: x0, x0^2 and x0 x1 fit without a cut.
  const small = fixture();
  small.input.columns = ['a', 'b'];
  delete small.input.sourceColumns;
  small.action = { ...small.action, order: 2, terms: fullAction(2, 2) };
  const s2 = hoverContent(small, 0, 'r.json', false);
  assert.ok(!/… \d+ more/.test(s2.markdown), s2.markdown);
  assert.deepEqual(s2.shown.map((t) => t.monomial), [[0], [0, 0], [0, 1]]);
});

test('with an identified theory, the hover lists the theory\'s terms of the column first', () => {
  const r = fiveColumns();
  r.theory = {
    estimator: 'score-matching', method: 'm', order: 4, expansionPoint: [0, 0, 0, 0, 0], alpha: 0.01, family: 125, candidates: 125, screen: 'none', cut: 3.9,
    terms: [
      { monomial: [], coefficient: -4.2 },
      { monomial: [0, 0], coefficient: -0.52, stdErr: 0.01, z: -52 },
      { monomial: [0, 1], coefficient: 0.29, stdErr: 0.012, z: 24 },
      { monomial: [0, 0, 0, 0], coefficient: -0.066, stdErr: 0.004, z: -16 },
      { monomial: [2, 2], coefficient: -0.5, stdErr: 0.01, z: -50 },
    ],
    nearMisses: [], dependent: [], stability: { halves: 6, note: '' }, normalizable: { normalizable: true, reason: '' }, warnings: [], seconds: 1,
  };
  const h = hoverContent(r, 0, '/r.json', false);
  assert.match(h.markdown, /\*\*Identified theory\*\*, self terms/);
  assert.deepEqual(h.shown.map((t) => t.monomial.join(',')), ['0,0', '0,0,0,0', '0,1'], 'exactly the theory\'s terms of the column, not the dense action\'s');
  assert.ok(h.markdown.includes(formatCoefficient(-0.52, 0.01)));
  // A column the theory leaves alone shows the dense action, as before.
  const other = hoverContent(r, 3, '/r.json', false);
  assert.match(other.markdown, /\*\*Self terms\*\* of ln p/);
});

test('a column the run left out as constant: the hover says so and why, with no link; other fields get none', () => {
  const r = fixture();
  r.input.omittedColumns = [{ name: 'edge*0', sourceColumn: 7, value: 0, reason: 'constant: every row has the value 0' }];
  const md = omittedColumnContent(r, 7, 'edge*0');
  assert.ok(md !== null);
  assert.match(md, /^\*\*edge\\\*0\*\* · left out of this run/);
  assert.match(md, /constant\\: every row has the value 0/);
  assert.doesNotMatch(md, /command:/);
  assert.equal(omittedColumnContent(r, 6, 'edge*0'), null);
  assert.equal(omittedColumnContent(r, 7, 'other'), null);
  delete r.input.omittedColumns;
  assert.equal(omittedColumnContent(r, 7, 'edge*0'), null);
});
