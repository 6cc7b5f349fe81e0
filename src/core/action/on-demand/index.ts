/** The action's orders above the stored ones, computed from the weights on demand (docs/METHOD.md section 4.7). */
export { slicerFor, multiplicityFactorial, MAX_SLICE_VALUES, type ActionSlicer, type TopTerms } from './slicer';
export { loadSlicer } from './load';
