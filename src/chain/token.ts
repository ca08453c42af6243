// Deploy and action helpers for the ERC-3643 permissioned token, its modular compliance and the compliance
// modules (viem style: plain functions over a public and a wallet client), plus the transfer refusal codes that
// `PermissionedToken.canTransferReason` returns and the `token_canTransfer` RPC exposes.
import { type Abi, type Address, type Hex, decodeErrorResult, encodeFunctionData, zeroAddress } from 'viem';
import { deployContract, knownErrors, write, type Reader, type SignedClaim, type Wallet } from './identity.js';
import {
  identityRegistryAbi,
  investorOnboardingAbi,
  investorOnboardingBytecode,
  countryAllowModuleAbi,
  countryAllowModuleBytecode,
  countryRestrictModuleAbi,
  countryRestrictModuleBytecode,
  maxBalanceModuleAbi,
  maxBalanceModuleBytecode,
  maxRiskScoreModuleAbi,
  maxRiskScoreModuleBytecode,
  jurisdictionModuleAbi,
  jurisdictionModuleBytecode,
  freshKycModuleAbi,
  freshKycModuleBytecode,
  iRefusalReasonAbi,
  modularComplianceAbi,
  modularComplianceBytecode,
  permissionedTokenAbi,
  permissionedTokenBytecode,
} from './artifacts/index.js';

const ZERO_SALT = `0x${'00'.repeat(32)}` as Hex;

/** Reason codes of a refused transfer, in check order; mirrors contracts/token/TransferRefusal.sol. */
export const TransferRefusal = {
  OK: 0,
  PAUSED: 1,
  INVALID_RECEIVER: 2,
  SENDER_FROZEN: 3,
  RECEIVER_FROZEN: 4,
  INSUFFICIENT_BALANCE: 5,
  TOKENS_FROZEN: 6,
  SENDER_NOT_VERIFIED: 7,
  RECEIVER_NOT_VERIFIED: 8,
  COMPLIANCE_REFUSED: 9,
  COUNTRY_NOT_ALLOWED: 10,
  COUNTRY_RESTRICTED: 11,
  MAX_BALANCE_EXCEEDED: 12,
  RISK_SCORE_TOO_HIGH: 13,
  JURISDICTION_NOT_ATTESTED: 14,
  KYC_NOT_FRESH: 15,
} as const;
export type TransferRefusalName = keyof typeof TransferRefusal;
export type TransferRefusalCode = (typeof TransferRefusal)[TransferRefusalName];

/** Per code: its name, the custom error a reverting transfer raises, and a message safe to show a user. */
export const transferRefusals: Readonly<Record<number, { name: TransferRefusalName; error: string; message: string }>> = {
  0: { name: 'OK', error: '', message: 'transfer allowed' },
  1: { name: 'PAUSED', error: 'EnforcedPause', message: 'the token is paused' },
  2: { name: 'INVALID_RECEIVER', error: 'ERC20InvalidReceiver', message: 'the receiver is the zero address' },
  3: { name: 'SENDER_FROZEN', error: 'SenderFrozen', message: "the sender's wallet is frozen" },
  4: { name: 'RECEIVER_FROZEN', error: 'ReceiverFrozen', message: "the receiver's wallet is frozen" },
  5: { name: 'INSUFFICIENT_BALANCE', error: 'ERC20InsufficientBalance', message: 'the amount exceeds the balance' },
  6: { name: 'TOKENS_FROZEN', error: 'InsufficientUnfrozenBalance', message: 'the amount exceeds the unfrozen balance' },
  7: { name: 'SENDER_NOT_VERIFIED', error: 'SenderNotVerified', message: 'the sender is not verified' },
  8: { name: 'RECEIVER_NOT_VERIFIED', error: 'ReceiverNotVerified', message: 'the receiver is not verified' },
  9: { name: 'COMPLIANCE_REFUSED', error: 'ComplianceRefused', message: 'a compliance rule refuses the transfer' },
  10: { name: 'COUNTRY_NOT_ALLOWED', error: 'CountryNotAllowed', message: "the receiver's country is not allowed" },
  11: { name: 'COUNTRY_RESTRICTED', error: 'CountryRestricted', message: "the receiver's country is restricted" },
  12: { name: 'MAX_BALANCE_EXCEEDED', error: 'MaxBalanceExceeded', message: "the receiver's holding limit would be exceeded" },
  13: { name: 'RISK_SCORE_TOO_HIGH', error: 'RiskScoreTooHigh', message: 'a party is above the maximum risk score' },
  14: { name: 'JURISDICTION_NOT_ATTESTED', error: 'ComplianceRefused', message: "a party's country is not attested by a valid JURISDICTION claim of a trusted issuer" },
  15: { name: 'KYC_NOT_FRESH', error: 'ComplianceRefused', message: 'a party above the risk threshold has no KYC claim recent enough' },
};

/** Name of a refusal code; codes a third-party module reports beyond the table read as COMPLIANCE_REFUSED. */
export function refusalName(code: number): TransferRefusalName {
  return transferRefusals[code]?.name ?? 'COMPLIANCE_REFUSED';
}

/** Custom errors of the token, compliance, modules and onboarding, so errors bubbled from any of them decode. */
export function tokenErrors(): Abi {
  const seen = new Set<string>();
  const out: Abi[number][] = [];
  for (const abi of [permissionedTokenAbi, modularComplianceAbi, countryAllowModuleAbi, countryRestrictModuleAbi,
    maxBalanceModuleAbi, maxRiskScoreModuleAbi, jurisdictionModuleAbi, freshKycModuleAbi, investorOnboardingAbi] as Abi[]) {
    for (const item of abi) {
      if (item.type !== 'error') continue;
      const sig = `${item.name}(${item.inputs.map((i) => i.type).join(',')})`;
      if (!seen.has(sig)) { seen.add(sig); out.push(item); }
    }
  }
  return out;
}

/** Deploys a modular compliance owned by `owner` (default: the wallet's account). */
export function deployCompliance(wallet: Wallet, reader: Reader, owner: Address = wallet.account.address): Promise<Address> {
  return deployContract(wallet, reader, { abi: modularComplianceAbi, bytecode: modularComplianceBytecode }, [owner]);
}

export interface TokenParams {
  name: string;
  symbol: string;
  decimals?: number;
  identityRegistry: Address;
  compliance: Address;
  onchainID?: Address;
  owner?: Address;
}

/** Deploys a permissioned token; its constructor binds it to `compliance`. */
export function deployToken(wallet: Wallet, reader: Reader, p: TokenParams): Promise<Address> {
  return deployContract(wallet, reader, { abi: permissionedTokenAbi, bytecode: permissionedTokenBytecode }, [
    p.name,
    p.symbol,
    p.decimals ?? 18,
    p.identityRegistry,
    p.compliance,
    p.onchainID ?? zeroAddress,
    p.owner ?? wallet.account.address,
  ]);
}

export const moduleArtifacts = {
  CountryAllowModule: { abi: countryAllowModuleAbi, bytecode: countryAllowModuleBytecode },
  CountryRestrictModule: { abi: countryRestrictModuleAbi, bytecode: countryRestrictModuleBytecode },
  MaxBalanceModule: { abi: maxBalanceModuleAbi, bytecode: maxBalanceModuleBytecode },
  MaxRiskScoreModule: { abi: maxRiskScoreModuleAbi, bytecode: maxRiskScoreModuleBytecode },
  JurisdictionModule: { abi: jurisdictionModuleAbi, bytecode: jurisdictionModuleBytecode },
  FreshKycModule: { abi: freshKycModuleAbi, bytecode: freshKycModuleBytecode },
} as const;
export type ModuleName = keyof typeof moduleArtifacts;

/** Deploys one shared instance of a module (one instance serves any number of compliance contracts). */
export function deployModule(wallet: Wallet, reader: Reader, name: ModuleName): Promise<Address> {
  return deployContract(wallet, reader, moduleArtifacts[name], []);
}

/** Binds `module` to `compliance` (the wallet must own the compliance). */
export function addModule(wallet: Wallet, reader: Reader, compliance: Address, module: Address) {
  return write(wallet, reader, { address: compliance, abi: modularComplianceAbi, functionName: 'addModule', args: [module] });
}

/** Calldata of a module's configuration function, as `callModuleFunction` and suite module settings take it. */
export function moduleCall(name: ModuleName, functionName: string, args: readonly unknown[]): Hex {
  return encodeFunctionData({ abi: moduleArtifacts[name].abi as Abi, functionName, args });
}

/**
 * Calls a module's configuration function through the compliance (the wallet must own the compliance), e.g.
 * `configureModule(w, r, compliance, module, 'CountryAllowModule', 'batchAllowCountries', [[250, 276]])`.
 */
export function configureModule(
  wallet: Wallet,
  reader: Reader,
  compliance: Address,
  module: Address,
  name: ModuleName,
  functionName: string,
  args: readonly unknown[],
) {
  const data = moduleCall(name, functionName, args);
  return write(wallet, reader, {
    address: compliance,
    abi: [...modularComplianceAbi, ...tokenErrors()] as unknown as typeof modularComplianceAbi,
    functionName: 'callModuleFunction',
    args: [data, module],
  });
}

/** Deploys the one-call onboarding contract and makes it an agent of the identity registry (wallet owns it). */
export async function deployOnboarding(
  wallet: Wallet,
  reader: Reader,
  p: { identityFactory: Address; identityRegistry: Address; agents?: Address[] },
): Promise<Address> {
  const onboarding = await deployContract(wallet, reader, { abi: investorOnboardingAbi, bytecode: investorOnboardingBytecode }, [
    wallet.account.address, p.identityFactory, p.identityRegistry,
  ]);
  await write(wallet, reader, { address: p.identityRegistry, abi: identityRegistryAbi, functionName: 'addAgent', args: [onboarding] });
  for (const agent of p.agents ?? [wallet.account.address]) {
    await write(wallet, reader, { address: onboarding, abi: investorOnboardingAbi, functionName: 'addAgent', args: [agent] });
  }
  return onboarding;
}

/** The identity address `onboard` will deploy for `wallet`: the subject issuers sign the claims for. */
export function predictOnboardedIdentity(reader: Reader, onboarding: Address, wallet: Address, salt: Hex = ZERO_SALT): Promise<Address> {
  return reader.readContract({ address: onboarding, abi: investorOnboardingAbi, functionName: 'predictIdentity', args: [wallet, salt] });
}

/** Onboards `investor` in one transaction (the wallet must be an agent of the onboarding contract). */
export async function onboard(
  wallet: Wallet,
  reader: Reader,
  onboarding: Address,
  p: { investor: Address; country: number; claims: readonly SignedClaim[]; salt?: Hex },
) {
  const { result, receipt } = await write(wallet, reader, {
    address: onboarding,
    abi: [...investorOnboardingAbi, ...tokenErrors()] as unknown as typeof investorOnboardingAbi,
    functionName: 'onboard',
    args: [p.investor, p.country, p.salt ?? ZERO_SALT, p.claims],
  });
  return { identity: result as Address, receipt };
}

/**
 * The first failing check of a transfer, without sending anything (what `token_canTransfer` returns). For a
 * compliance refusal (code 9 and up) `module` is the refusing module when the compliance can name it.
 */
export async function canTransferReason(
  reader: Reader,
  token: Address,
  from: Address,
  to: Address,
  amount: bigint,
): Promise<{ code: number; name: TransferRefusalName; message: string; module?: Address }> {
  const code = await reader.readContract({
    address: token,
    abi: permissionedTokenAbi,
    functionName: 'canTransferReason',
    args: [from, to, amount],
  });
  const result = { code, name: refusalName(code), message: transferRefusals[code]?.message ?? transferRefusals[9].message };
  if (code < TransferRefusal.COMPLIANCE_REFUSED) return result;
  try {
    const compliance = await reader.readContract({ address: token, abi: permissionedTokenAbi, functionName: 'compliance' });
    const [, module] = await reader.readContract({
      address: compliance,
      abi: modularComplianceAbi,
      functionName: 'transferRefusal',
      args: [from, to, amount],
    });
    // A module refusing for several reasons (IRefusalReason, e.g. JurisdictionModule) names the one that applies.
    const reason = await reader.readContract({ address: module, abi: iRefusalReasonAbi, functionName: 'refusalReason', args: [from, to, amount, compliance] }).catch(() => undefined);
    if (reason !== undefined && reason >= TransferRefusal.COMPLIANCE_REFUSED) {
      return { code: reason, name: refusalName(reason), message: transferRefusals[reason]?.message ?? transferRefusals[9].message, module };
    }
    return { ...result, module };
  } catch {
    // A T-REX compliance has no transferRefusal: the code alone is all there is.
    return result;
  }
}

/** Decodes revert data into its custom error name (undefined when unknown). */
export function tokenErrorName(data: Hex): string | undefined {
  try {
    return decodeErrorResult({ abi: [...tokenErrors(), ...knownErrors()], data }).errorName;
  } catch {
    return undefined;
  }
}
