import type { Command } from 'commander';
import { registerData } from './data';
import { registerIdentify } from './identify';
import { registerLearn } from './learn';
import { registerLogp } from './logp';
import { registerExperiment } from './experiment';
import { registerSample } from './sample';
import { registerSlice } from './slice';

/** Every subcommand of the CLI; each file registers one. */
export const commands: Array<(program: Command) => void> = [
  registerLearn,
  registerIdentify,
  registerLogp,
  registerExperiment,
  registerSample,
  registerSlice,
  registerData,
];
