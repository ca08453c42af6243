export { Wallet, WalletError, type HeldClaim, type CreateWalletOptions } from './wallet.js';
export { writeFileDurably } from './durable-file.js';
