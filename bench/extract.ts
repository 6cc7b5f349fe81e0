/**
 * Times exact action extraction (the jet of ln p up to order K, from the data coordinates) for a
 * seeded cubic flow with L layers in its own process. Prints one JSON line.
 * Usage: tsx bench/extract.ts --d 32 --order 4 --layers 4 [--generic]  (--generic: the jet rules on full
 * order-K jets, the route every layer kind has, instead of the structured route of action/structured-extraction.ts)
 */
import { MonomialBasis } from '../src/core/poly/basis';
import { argValue, raceData, raceFlow } from './common';
import { actionJet, extractionRoute } from '../src/core/action/extract';

const d = Number(argValue(process.argv, 'd', '8'));
const K = Number(argValue(process.argv, 'order', '4'));
const L = Number(argValue(process.argv, 'layers', '4'));
const flow = raceFlow({ d, layers: L, kind: argValue(process.argv, 'kind', 'cubic'), batch: 256 }, raceData(d));
extractionRoute.genericJetsOnly = process.argv.includes('--generic');
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const basis = new MonomialBasis(d, K);
const action = actionJet(flow, basis);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
let norm = 0;
for (const c of action) norm += c * c;
process.stdout.write(`${JSON.stringify({ d, order: K, layers: L, route: extractionRoute.genericJetsOnly ? 'generic' : 'structured', monomials: basis.size, seconds, cpuSeconds, actionNorm: Math.sqrt(norm), rssMB: process.memoryUsage().rss / 2 ** 20 })}\n`);
