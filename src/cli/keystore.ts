// The CLI's keystore is src/wallet/keystore.ts (shared with the screening operator's keystore in the node).
export * from '../wallet/keystore.js';
