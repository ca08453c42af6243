/** The matcher: name normalisation, token similarity, scoring with explanations, and the index. */
export { MATCHER_VERSION, DEFAULT_THRESHOLD, INDEX_FLOOR, scoreNames, scoreEntity, compareNames, prepareEntity, prepareQuery, type MatchExplanation, type NameComparison, type Qualifier, type TokenPair, type PreparedEntity, type PreparedQuery } from './score.js';
export { ScreeningIndex, type ScreeningHit, type SearchOptions, type IndexStats } from './index-search.js';
export { prepareName, normalizeText, type PreparedName, type Token } from './text.js';
export { tokenSimilarity, relationKeys, type TokenMatch, type TokenRule } from './similarity.js';
export { jaroWinklerBaseline, BASELINE_THRESHOLD } from './baseline.js';
