// Identity part of the chain layer: local node, deploy/action helpers, signing, access grants.
// Generated ABIs and bytecode: './artifacts/index.js'. Token part: './token.js'.
export * from './anvil.js';
export * from './identity.js';
export * from './access.js';
