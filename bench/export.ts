/**
 * Writes a race problem (data, batch, layer structure, flat parameters in Action Lens's layout) as
 * JSON for the PyTorch peer, and prints Action Lens's own loss and gradient on batch 0 for the check.
 * Usage: tsx bench/export.ts --d 8 --layers 2 --kind cubic --batch 256 --out problem.json
 */
import { writeFileSync } from 'node:fs';
import { kindOf } from '../src/core/flow/kinds';
import { argValue, parseConfig, raceBatch, raceData, raceFlow } from './common';

const cfg = parseConfig(process.argv);
const data = raceData(cfg.d);
const flow = raceFlow(cfg, data);
const layers = flow.layers.map((l) => ({ ...kindOf(l).toStructure(l), paramCount: l.paramCount }));
writeFileSync(argValue(process.argv, 'out', 'problem.json'), JSON.stringify({ d: cfg.d, batch: cfg.batch, layers, params: Array.from(flow.params), data: Array.from(data) }));
const batch = new Float64Array(cfg.batch * cfg.d);
raceBatch(data, cfg.d, cfg.batch, 0, batch);
const grad = new Float64Array(flow.paramCount);
const loss = flow.lossAndGradient(batch, cfg.batch, grad);
process.stdout.write(`${JSON.stringify({ loss, grad: Array.from(grad) })}\n`);
