/** src/screening: list ingestion, list versions and diffs, and the name matcher. Browser-safe: no node:* imports. */
export * from './errors.js';
export * from './model.js';
export { countryCode, countryCodes } from './countries.js';
export { parseCsv, parseXml, decodeText, type CsvRow, type XmlNode, type FileData } from './formats.js';
export { ListVersion, diffVersions, entriesToRescreen, entityHash, canonicalJson, type ListDiff, type ListFileInfo, type ListVersionJson } from './version.js';
export * from './importers/index.js';
export * from './match/index.js';
export { evidenceLeaf, merkleRoot, merkleProof, verifyMerkleProof, checkEvidence, runMessage, EVIDENCE_FORMAT, type EvidenceRecord, type RunHeader, type MerkleProof, type ScreeningKind, type ScreeningDecision } from './evidence.js';
