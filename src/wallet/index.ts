export { Wallet, WalletError, type HeldClaim, type CreateWalletOptions } from './wallet.js';
