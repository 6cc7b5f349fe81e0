export { hmc, type HmcOptions, type HmcResult, type HmcPhase, type WellMixing } from './hmc';
export { autocorrelation, splitRhat, type AutocorrResult } from './autocorr';
export { DualAveraging } from './dual-averaging';
