import { InputError } from '../util/errors';
import { teacherExperiment } from './teacher';
import { phi4Experiment } from './phi4';
import { depthDataExperiment } from './depth-data';
import { doubleWellExperiment } from './double-well';
import { identifyExperiment } from './identify';
import { digitsExperiment } from './digits';
import type { Experiment } from './types';

/** The paper's experiments (docs/METHOD.md section 8), in the order the palette lists them. */
export const EXPERIMENTS: readonly Experiment[] = [teacherExperiment, phi4Experiment, depthDataExperiment, doubleWellExperiment, identifyExperiment, digitsExperiment];

export function findExperiment(id: string): Experiment {
  const e = EXPERIMENTS.find((x) => x.id === id);
  if (!e) throw new InputError(`unknown experiment "${id}"; choose one of ${EXPERIMENTS.map((x) => x.id).join(', ')}`);
  return e;
}

export type { Experiment, ExperimentOptions, ExperimentOutput } from './types';
