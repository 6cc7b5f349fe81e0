export { type Theory, ParameterError } from './theory';
export { phi4Lattice, doubleWell, latticeDelta, latticeDeltaMinEigenvalue, siteUnimodal, type Phi4Params, type DoubleWellParams } from './phi4';
export { THEORIES, findTheory, createTheory, type TheoryDefinition, type TheoryParameter } from './registry';
