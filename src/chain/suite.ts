// ERC-3643 suites deployed in one transaction by TokenFactory (clones of templates), and the signed calls through
// which their owners and agents act with a relayer paying gas (`executeSigned`, see roles.ts). viem style: plain
// functions over a public and a wallet client; every write waits for its receipt and throws on a revert.
import { type Abi, type AbiParameter, type Address, type Hex, encodeAbiParameters, encodeFunctionData, keccak256, zeroAddress } from 'viem';
import { deployContract, write, type Reader, type Wallet } from './identity.js';
import { signedCallTypedData, type SuiteContract } from './roles.js';
import { tokenErrors } from './token.js';
import {
  claimTopicsRegistryAbi,
  identityFactoryAbi,
  identityRegistryAbi,
  identityRegistryBytecode,
  identityRegistryStorageAbi,
  modularComplianceAbi,
  modularComplianceBytecode,
  permissionedTokenAbi,
  permissionedTokenBytecode,
  tokenFactoryAbi,
  tokenFactoryBytecode,
  trustedIssuersRegistryAbi,
} from './artifacts/index.js';

/** The ABI of each suite contract, by its role in the suite. */
export const suiteContractAbis: Readonly<Record<SuiteContract | 'identityRegistryStorage', Abi>> = {
  token: permissionedTokenAbi,
  identityRegistry: identityRegistryAbi,
  identityRegistryStorage: identityRegistryStorageAbi,
  compliance: modularComplianceAbi,
  trustedIssuersRegistry: trustedIssuersRegistryAbi,
  claimTopicsRegistry: claimTopicsRegistryAbi,
};

/** What TokenFactory.deploySuite builds (see contracts/token/TokenFactory.sol). */
export interface SuiteParams {
  owner: Address;
  salt: Hex;
  name: string;
  symbol: string;
  decimals: number;
  /** The token's identity; ignored with `createOnchainID`. */
  onchainID?: Address;
  /** Deploys the token's identity (managed by `owner`) with the suite. */
  createOnchainID?: boolean;
  /** A shared identity registry storage (its owner signs the binding); omitted: the suite gets its own. */
  identityRegistryStorage?: Address;
  claimTopics: bigint[];
  issuers: { issuer: Address; topics: bigint[] }[];
  /** Modules to bind, each with its configuration calls (`moduleSetting`). */
  modules: { module: Address; settings: Hex[] }[];
  /** Accounts and their role bits (`roleBits`), split by the factory over the suite's contracts. */
  agents: { account: Address; roles: bigint }[];
}

export interface Suite {
  token: Address;
  identityRegistry: Address;
  identityRegistryStorage: Address;
  claimTopicsRegistry: Address;
  trustedIssuersRegistry: Address;
  compliance: Address;
  onchainID: Address;
}

/** The owner's signature of a suite (when someone else submits it). */
export interface SuiteAuthorization { deadline: bigint; signature: Hex }
/** A shared storage owner's signed `bindIdentityRegistry(predicted registry)`. */
export interface StorageBinding { nonce: bigint; deadline: bigint; signature: Hex }
/** A role holder's signature of one call (`executeSigned` arguments but the calldata). */
export interface CallSignature { nonce: bigint; deadline: bigint; signature: Hex }

const deploySuiteAbi = tokenFactoryAbi.find((x) => x.type === 'function' && x.name === 'deploySuite')!;
const SUITE_PARAMS = (deploySuiteAbi as { inputs: readonly AbiParameter[] }).inputs[0];

/** Normalises optional fields to what the contract encodes. */
export function suiteArgs(p: SuiteParams) {
  return {
    owner: p.owner, salt: p.salt, name: p.name, symbol: p.symbol, decimals: p.decimals,
    onchainID: p.onchainID ?? zeroAddress, createOnchainID: p.createOnchainID ?? false,
    identityRegistryStorage: p.identityRegistryStorage ?? zeroAddress,
    claimTopics: p.claimTopics, issuers: p.issuers, modules: p.modules, agents: p.agents,
  };
}

/** keccak256(abi.encode(params)): what the owner's `DeploySuite` signature commits to. */
export function suiteParamsHash(p: SuiteParams): Hex {
  return keccak256(encodeAbiParameters([SUITE_PARAMS], [suiteArgs(p)]));
}

/**
 * EIP-712 typed data the owner signs so that anyone may deploy its suite: domain `{ name: 'Masque Token Factory',
 * version: '1', chainId, verifyingContract: factory }`, type `DeploySuite(address owner,bytes32 salt,bytes32 params,
 * uint256 deadline)`.
 */
export function suiteTypedData(p: { chainId: number; factory: Address; params: SuiteParams; deadline: bigint }) {
  return {
    domain: { name: 'Masque Token Factory', version: '1', chainId: p.chainId, verifyingContract: p.factory },
    types: {
      DeploySuite: [
        { name: 'owner', type: 'address' },
        { name: 'salt', type: 'bytes32' },
        { name: 'params', type: 'bytes32' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'DeploySuite',
    message: { owner: p.params.owner, salt: p.params.salt, params: suiteParamsHash(p.params), deadline: p.deadline },
  } as const;
}

/** Custom errors of every suite contract and the factory, for decoding a relayed call's revert. */
export function suiteErrors(): Abi {
  const seen = new Set<string>();
  return [...tokenErrors(), ...tokenFactoryAbi, ...identityRegistryAbi, ...identityRegistryStorageAbi, ...claimTopicsRegistryAbi,
    ...trustedIssuersRegistryAbi].filter((e) => {
    if (e.type !== 'error') return false;
    const sig = `${e.name}(${e.inputs.map((i) => i.type).join(',')})`;
    return seen.has(sig) ? false : (seen.add(sig), true);
  });
}

/**
 * Deploys the six templates (constructed with owner 0: no owner, never initialisable) and the factory over an
 * IdentityFactory, whose implementation the identity registry template's fast isVerified path recognises.
 */
export async function deployTokenFactory(wallet: Wallet, reader: Reader, p: { identityFactory: Address }): Promise<Address> {
  const implementation = await reader.readContract({ address: p.identityFactory, abi: identityFactoryAbi, functionName: 'implementation' });
  const none = zeroAddress;
  const template = (artifact: { abi: Abi; bytecode: Hex }, args: readonly unknown[]) => deployContract(wallet, reader, artifact, args);
  const token = await template({ abi: permissionedTokenAbi, bytecode: permissionedTokenBytecode }, ['', '', 0, none, none, none, none]);
  const identityRegistry = await template({ abi: identityRegistryAbi, bytecode: identityRegistryBytecode }, [none, none, none, none, implementation]);
  const compliance = await template({ abi: modularComplianceAbi, bytecode: modularComplianceBytecode }, [none]);
  return deployContract(wallet, reader, { abi: tokenFactoryAbi, bytecode: tokenFactoryBytecode }, [{
    token, identityRegistry, compliance, identityFactory: p.identityFactory,
  }]);
}

/** The addresses `deploySuite` gives the owner's suite `salt`. */
export async function predictSuite(
  reader: Reader, factory: Address, p: { owner: Address; salt: Hex; ownStorage: boolean; createOnchainID: boolean },
): Promise<Suite> {
  return reader.readContract({ address: factory, abi: tokenFactoryAbi, functionName: 'predictSuite', args: [p.owner, p.salt, p.ownStorage, p.createOnchainID] });
}

const NO_AUTH: SuiteAuthorization = { deadline: 0n, signature: '0x' };
const NO_BINDING: StorageBinding = { nonce: 0n, deadline: 0n, signature: '0x' };

/**
 * Deploys a suite in one transaction sent by `wallet`: the owner itself, or a relayer with the owner's
 * `authorization` (suiteTypedData). A shared storage needs its owner's `binding` of the predicted registry.
 */
export async function deploySuite(
  wallet: Wallet, reader: Reader, factory: Address, params: SuiteParams,
  opts: { authorization?: SuiteAuthorization; binding?: StorageBinding } = {},
) {
  const { result, receipt, hash } = await write(wallet, reader, {
    address: factory,
    abi: [...tokenFactoryAbi, ...suiteErrors()] as unknown as typeof tokenFactoryAbi,
    functionName: 'deploySuite',
    args: [suiteArgs(params), opts.authorization ?? NO_AUTH, opts.binding ?? NO_BINDING],
  });
  return { suite: result as Suite, receipt, hash };
}

/** A random executeSigned nonce: the contracts accept any unused value. */
export function randomNonce(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return BigInt(`0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`);
}

/** Signs `data` (calldata of one of `contract`'s functions) for `executeSigned`. */
export async function signCall(
  signer: { signTypedData(args: ReturnType<typeof signedCallTypedData>): Promise<Hex> },
  p: { chainId: number; contract: Address; data: Hex; deadline: bigint; nonce?: bigint },
): Promise<CallSignature> {
  const nonce = p.nonce ?? randomNonce();
  const signature = await signer.signTypedData(signedCallTypedData({ chainId: p.chainId, contract: p.contract, data: p.data, nonce, deadline: p.deadline }));
  return { nonce, deadline: p.deadline, signature };
}

/**
 * Runs `functionName(args)` on `contract` as `signer`, relayed and paid for by `relayer` through executeSigned.
 * The contract checks the signer's role or ownership; the relayer needs none.
 */
export async function relaySigned(
  relayer: Wallet,
  reader: Reader,
  signer: { signTypedData(args: ReturnType<typeof signedCallTypedData>): Promise<Hex> },
  p: { contract: Address; abi: Abi; functionName: string; args: readonly unknown[]; deadline?: bigint; nonce?: bigint },
) {
  const data = encodeFunctionData({ abi: p.abi, functionName: p.functionName, args: p.args } as never);
  const chainId = await reader.getChainId();
  const deadline = p.deadline ?? (await reader.getBlock()).timestamp + 600n;
  const s = await signCall(signer, { chainId, contract: p.contract, data, deadline, nonce: p.nonce });
  return write(relayer, reader, {
    address: p.contract,
    abi: [...permissionedTokenAbi, ...suiteErrors()] as unknown as typeof permissionedTokenAbi,
    functionName: 'executeSigned' as never,
    args: [data, s.nonce, s.deadline, s.signature] as never,
  });
}
