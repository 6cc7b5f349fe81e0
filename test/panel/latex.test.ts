import { test } from 'node:test';
import assert from 'node:assert/strict';
import katex from 'katex';
import {
  actionToLatex,
  actionToLatexDocument,
  escapeLatexText,
  monomialLatex,
  numberLatex,
  sortTerms,
  termLatex,
  variableLatex,
} from '../../src/panel/latex';

const columns = ['a', 'b_c', '<img src=x onerror=alert(1)>'];
const terms = [
  { monomial: [0, 1], coefficient: 0.1 },
  { monomial: [0], coefficient: -3 },
  { monomial: [], coefficient: 1.5 },
  { monomial: [0, 0], coefficient: -0.7 },
  { monomial: [0, 0, 1, 1], coefficient: 0.01 },
  { monomial: [1, 1], coefficient: 0.2 },
];

test('sortTerms: by order, then |coefficient| descending', () => {
  const sorted = sortTerms(terms).map((t) => t.monomial.join(','));
  assert.deepEqual(sorted, ['', '0', '0,0', '1,1', '0,1', '0,0,1,1']);
});

test('escapeLatexText escapes every LaTeX special character', () => {
  assert.equal(escapeLatexText('a_b'), 'a\\_b');
  assert.equal(escapeLatexText('{x}$&#%'), '\\{x\\}\\$\\&\\#\\%');
  assert.equal(escapeLatexText('\\cmd^~'), '\\textbackslash{}cmd\\textasciicircum{}\\textasciitilde{}');
  assert.equal(escapeLatexText('a\nb'), 'a b');
  const long = 'x'.repeat(200);
  assert.ok([...escapeLatexText(long)].length <= 64);
});

test('escaped names typeset as text in KaTeX, with no markup and no commands', () => {
  for (const name of ['\\href{javascript:alert(1)}{x}', '}\\def\\a{\\a}\\a{', '<script>alert(1)</script>', '$\\x$', '^_^ ~%#&']) {
    const tex = variableLatex(0, [name]);
    const html = katex.renderToString(tex, { throwOnError: true, trust: false, strict: 'ignore', maxExpand: 100 });
    assert.ok(!html.includes('<script'), name);
    assert.ok(!/<a[\s>]/.test(html), name);
    assert.ok(!html.includes('katex-error'), name);
  }
});

test('variableLatex: column names in \\text{} or x_i indices', () => {
  assert.equal(variableLatex(1, columns), 'x_{\\text{b\\_c}}');
  assert.equal(variableLatex(1, columns, 'indices'), 'x_{1}');
  assert.equal(variableLatex(5, columns), 'x_{5}');
  assert.equal(monomialLatex([0, 0, 1], columns, 'indices'), 'x_{0}^{2} x_{1}');
  assert.equal(monomialLatex([], columns), '');
});

test('termLatex signs: ln p keeps the stored sign, energy flips it', () => {
  const t = { monomial: [0, 0], coefficient: -0.7 };
  assert.equal(termLatex(t, columns, { names: 'indices' }), '- 0.7\\, x_{0}^{2}');
  assert.equal(termLatex(t, columns, { names: 'indices', convention: 'energy' }), '+ 0.7\\, x_{0}^{2}');
  assert.equal(termLatex(t, columns, { names: 'indices', convention: 'energy', first: true }), '0.7\\, x_{0}^{2}');
  assert.equal(termLatex({ monomial: [], coefficient: 2 }, columns, { first: true }), '2');
});

test('numberLatex: significant digits and scientific notation', () => {
  assert.equal(numberLatex(0.5), '0.5');
  assert.equal(numberLatex(-1.23456), '-1.235');
  assert.equal(numberLatex(1.5e-6), '1.5 \\times 10^{-6}');
  assert.equal(numberLatex(123456), '1.235 \\times 10^{5}');
  assert.equal(numberLatex(0), '0');
});

test('actionToLatex: lhs, filter by order and magnitude, and the energy switch', () => {
  const lnp = actionToLatex({ terms }, columns, { names: 'indices', orders: [2] });
  assert.equal(lnp, 'S(x) = \\ln p(x) = - 0.7\\, x_{0}^{2} + 0.2\\, x_{1}^{2} + 0.1\\, x_{0} x_{1}');
  const e = actionToLatex({ terms }, columns, { names: 'indices', orders: [2], convention: 'energy', minAbs: 0.15 });
  assert.equal(e, 'E(x) = -\\ln p(x) = 0.7\\, x_{0}^{2} - 0.2\\, x_{1}^{2}');
  assert.equal(actionToLatex({ terms }, columns, { orders: [7] }), 'S(x) = \\ln p(x) = 0');
  const full = actionToLatex({ terms }, columns);
  katex.renderToString(full, { throwOnError: true, trust: false, strict: 'ignore' });
});

test('actionToLatexDocument: a document with align*, untrusted source only in a comment', () => {
  const doc = actionToLatexDocument({ terms, units: 'raw' }, columns, { source: 'evil\n\\input{/etc/passwd}', perLine: 2 });
  assert.match(doc, /\\begin\{align\*\}/);
  assert.match(doc, /\\documentclass\{article\}/);
  assert.ok(doc.includes('% Source: evil \\input{/etc/passwd}'));
  assert.ok(!/^\\input/m.test(doc));
  assert.ok(doc.includes('x_{\\text{b\\_c}}'));
});
