export { cumulants, defaultMaxOrder, DEFAULT_BLOCKS, DEFAULT_SOURCE, ORDER4_DEFAULT_MAX_COLUMNS } from './estimate';
export type { CumulantOptions } from './estimate';
export { compareCumulants, compareWithExact, zScore } from './compare';
export { exactCumulantSet, gaussianCumulantSet } from './exact';
export { binomial, tupleCount, sortedTuples, tupleRank } from './tuples';
