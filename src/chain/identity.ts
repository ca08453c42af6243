// Typed deploy and action helpers for the identity part (contracts/identity, contracts/registry), viem style:
// clients come in as arguments, every write waits for its receipt and throws when it reverted.
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
  bytesToHex,
  concat,
  decodeAbiParameters,
  encodeAbiParameters,
  getAddress,
  getContractAddress,
  keccak256,
  pad,
  zeroAddress,
} from 'viem';
import { identityAbi, identityBytecode } from './artifacts/Identity.js';
import { claimIssuerAbi, claimIssuerBytecode } from './artifacts/ClaimIssuer.js';
import { identityFactoryAbi, identityFactoryBytecode } from './artifacts/IdentityFactory.js';
import { claimTopicsRegistryAbi } from './artifacts/ClaimTopicsRegistry.js';
import { trustedIssuersRegistryAbi } from './artifacts/TrustedIssuersRegistry.js';
import { identityRegistryStorageAbi } from './artifacts/IdentityRegistryStorage.js';
import { identityRegistryAbi, identityRegistryBytecode } from './artifacts/IdentityRegistry.js';
import { riskScoreRegistryAbi, riskScoreRegistryBytecode } from './artifacts/RiskScoreRegistry.js';

export type Wallet = WalletClient<Transport, Chain | undefined, Account>;
export type Reader = PublicClient;

/** ERC-734 key purposes. */
export const KeyPurpose = { MANAGEMENT: 1n, ACTION: 2n, CLAIM_SIGNER: 3n, ENCRYPTION: 4n, CLAIM_REGISTRY: 5n } as const;
/** ERC-734 key type of `walletKey` keys. */
export const ECDSA_KEY_TYPE = 1n;
/** ERC-734 key type of ML-KEM-768 encryption keys (purpose 4): the key's multicodec, 0x120c (`mlkem-768-pub`). */
export const MLKEM768_KEY_TYPE = 0x120cn;
/** Claim topics 1-8 are fixed; 9+ are deployment-specific (these two are the suggested ones). */
export const ClaimTopic = {
  KYC: 1n,
  AML: 2n,
  ACCREDITATION: 3n,
  SANCTIONS_CLEAR: 4n,
  TAX_RESIDENCY: 5n,
  UBO: 6n,
  PEP_STATUS: 7n,
  TRAVEL_RULE: 8n,
  JURISDICTION: 9n,
  RISK_SCORE: 10n,
} as const;
/** ERC-735 scheme of Masque claims: ECDSA over the EIP-712 `Claim` struct below. */
export const CLAIM_SCHEME_ECDSA = 1n;

/** The ERC-734 key of a wallet: keccak256(abi.encode(address)). */
export function walletKey(wallet: Address): Hex {
  return keccak256(encodeAbiParameters([{ type: 'address' }], [wallet]));
}

/**
 * The key of a claim registry (purpose CLAIM_REGISTRY): the TrustedIssuersRegistry's address left-padded to 32 bytes,
 * not hashed (the identity reads the address back). Issuers it trusts for a topic push their claims of that topic.
 */
export function registryKey(registry: Address): Hex {
  return pad(registry.toLowerCase() as Hex, { size: 32 });
}

/** ERC-735 claim id: keccak256(abi.encode(issuer, topic)). */
export function claimId(issuer: Address, topic: bigint): Hex {
  return keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [issuer, topic]));
}

const CLAIM_DATA_PARAMS = [{ type: 'bytes32' }, { type: 'uint64' }, { type: 'uint64' }] as const;

export interface ClaimContent {
  /** Hash binding the encrypted document (e.g. the digest of its CID). */
  documentHash: Hex;
  /** Unix seconds; the claim is valid in [issuedAt, expiresAt). */
  issuedAt: bigint;
  expiresAt: bigint;
}

/** A claim's `data`: abi.encode(bytes32 documentHash, uint64 issuedAt, uint64 expiresAt), 96 bytes. */
export function encodeClaimData(c: ClaimContent): Hex {
  return encodeAbiParameters(CLAIM_DATA_PARAMS, [c.documentHash, c.issuedAt, c.expiresAt]);
}

export function decodeClaimData(data: Hex): ClaimContent {
  const [documentHash, issuedAt, expiresAt] = decodeAbiParameters(CLAIM_DATA_PARAMS, data);
  return { documentHash, issuedAt, expiresAt };
}

/** The EIP-712 domain every Masque identity and claim issuer signs under (claims: the issuer; executions: the identity). */
function masqueDomain(chainId: number, verifyingContract: Address) {
  return { name: 'Masque Identity', version: '1', chainId, verifyingContract } as const;
}

/**
 * The exact message a claim signer signs: EIP-712 typed data with domain
 * `{ name: 'Masque Identity', version: '1', chainId, verifyingContract: issuer contract }` and primary type
 * `Claim(address identity,uint256 topic,bytes32 documentHash,uint64 issuedAt,uint64 expiresAt)`.
 * The signature is 65 bytes r || s || v with low s and v in {27, 28} (what viem and noble produce).
 */
export function claimTypedData(p: { chainId: number; issuer: Address; identity: Address; topic: bigint } & ClaimContent) {
  return {
    domain: masqueDomain(p.chainId, p.issuer),
    types: {
      Claim: [
        { name: 'identity', type: 'address' },
        { name: 'topic', type: 'uint256' },
        { name: 'documentHash', type: 'bytes32' },
        { name: 'issuedAt', type: 'uint64' },
        { name: 'expiresAt', type: 'uint64' },
      ],
    },
    primaryType: 'Claim',
    message: {
      identity: p.identity,
      topic: p.topic,
      documentHash: p.documentHash,
      issuedAt: p.issuedAt,
      expiresAt: p.expiresAt,
    },
  } as const;
}

/** Any signer of typed data: a viem LocalAccount, or a wallet client's account. */
export interface TypedDataSigner {
  signTypedData(args: ReturnType<typeof claimTypedData>): Promise<Hex>;
}

export interface SignedClaim {
  topic: bigint;
  scheme: bigint;
  issuer: Address;
  signature: Hex;
  data: Hex;
  uri: string;
}

/** Signs a claim of `issuer` (a ClaimIssuer contract where `signer` holds a claim-signer key) about `identity`. */
export async function signClaim(
  signer: TypedDataSigner,
  p: { chainId: number; issuer: Address; identity: Address; topic: bigint; uri?: string } & ClaimContent,
): Promise<SignedClaim> {
  const signature = await signer.signTypedData(claimTypedData(p));
  return { topic: p.topic, scheme: CLAIM_SCHEME_ECDSA, issuer: p.issuer, signature, data: encodeClaimData(p), uri: p.uri ?? '' };
}

/** A call an identity runs for a key holder through `executeSigned` (a relayer submits it and pays gas). */
export interface SignedCall { to: Address; value: bigint; data: Hex; nonce: bigint; deadline: bigint }

/**
 * EIP-712 typed data of `Identity.executeSigned`: domain `{ name: 'Masque Identity', version: '1', chainId,
 * verifyingContract: identity }`, type `Execute(address to,uint256 value,bytes data,uint256 nonce,uint256 deadline)`.
 * Calls to the identity itself (addKey, grantAccess, ...) need a management key's signature, others an action key's.
 */
export function executeTypedData(p: { chainId: number; identity: Address } & SignedCall) {
  return {
    domain: masqueDomain(p.chainId, p.identity),
    types: {
      Execute: [
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'data', type: 'bytes' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'Execute',
    message: { to: p.to, value: p.value, data: p.data, nonce: p.nonce, deadline: p.deadline },
  } as const;
}

/** A random executeSigned nonce: the contract accepts any unused value, so no chain read is needed. */
export function randomExecuteNonce(): bigint {
  return BigInt(bytesToHex(crypto.getRandomValues(new Uint8Array(32))));
}

/** Signs `call` for `identity`; returns the 65-byte signature executeSigned takes. */
export async function signExecute(
  signer: { signTypedData(args: ReturnType<typeof executeTypedData>): Promise<Hex> },
  p: { chainId: number; identity: Address } & SignedCall,
): Promise<Hex> {
  return signer.signTypedData(executeTypedData(p));
}

// ------------------------------------------------------------------ generic plumbing

/** Deploys a contract and returns its address (throws when the deployment reverted). */
export async function deployContract(
  wallet: Wallet,
  reader: Reader,
  artifact: { abi: Abi; bytecode: Hex },
  args: readonly unknown[] = [],
): Promise<Address> {
  const hash = await wallet.deployContract({
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    args,
    account: wallet.account,
    chain: wallet.chain,
  } as Parameters<Wallet['deployContract']>[0]);
  const receipt = await reader.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress) throw new Error(`deployment reverted (tx ${hash})`);
  return getAddress(receipt.contractAddress);
}

/**
 * Simulates then sends a contract write and waits for it; a revert surfaces as viem's
 * ContractFunctionExecutionError carrying the decoded custom error. Returns the simulated result and the receipt.
 */
export async function write<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, 'nonpayable' | 'payable'>,
  args extends ContractFunctionArgs<abi, 'nonpayable' | 'payable', functionName>,
>(
  wallet: Wallet,
  reader: Reader,
  p: { address: Address; abi: abi; functionName: functionName; args: args; value?: bigint },
) {
  const { request, result } = await reader.simulateContract({
    ...(p as object),
    // Errors raised by a contract this one calls (storage, identity, issuer) decode by name too.
    abi: [...p.abi, ...knownErrors()],
    account: wallet.account,
    chain: wallet.chain,
  } as unknown as Parameters<Reader['simulateContract']>[0]);
  const hash = await wallet.writeContract(request as Parameters<Wallet['writeContract']>[0]);
  const receipt = await reader.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`transaction reverted (tx ${hash})`);
  return { result: result as unknown, receipt, hash };
}

let known: Abi | undefined;
/** Custom errors of every identity-part contract, deduplicated by signature. */
export function knownErrors(): Abi {
  if (known) return known;
  const seen = new Set<string>();
  const out: Abi[number][] = [];
  for (const abi of [identityAbi, claimIssuerAbi, identityFactoryAbi, claimTopicsRegistryAbi, trustedIssuersRegistryAbi,
    identityRegistryStorageAbi, identityRegistryAbi, riskScoreRegistryAbi] as Abi[]) {
    for (const item of abi) {
      if (item.type !== 'error') continue;
      const sig = `${item.name}(${item.inputs.map((i) => i.type).join(',')})`;
      if (!seen.has(sig)) { seen.add(sig); out.push(item); }
    }
  }
  return (known = out);
}

// ------------------------------------------------------------------ deployment

export interface IdentityStack {
  identityImplementation: Address;
  identityFactory: Address;
  claimTopicsRegistry: Address;
  trustedIssuersRegistry: Address;
  identityRegistryStorage: Address;
  identityRegistry: Address;
  riskScoreRegistry: Address;
}

/**
 * Deploys the identity implementation (also the claim index of its clones) and factory, the identity registry (its own
 * claim topics registry, trusted issuers registry and storage: `claimTopicsRegistry`, `trustedIssuersRegistry` and
 * `identityRegistryStorage` are its address) and the risk score registry. `owner` (default: the wallet's account) owns
 * everything (ownership is transferred after wiring when it differs from the wallet); `agents` (default: [owner]) are
 * whitelist managers of the registry and agents of the risk score registry.
 */
export async function deployIdentityStack(
  wallet: Wallet,
  reader: Reader,
  opts: { owner?: Address; agents?: Address[]; requiredTopics?: bigint[] } = {},
): Promise<IdentityStack> {
  const me = wallet.account.address;
  const owner = opts.owner ?? me;
  const none = zeroAddress;
  const identityImplementation = await deployContract(wallet, reader, { abi: identityAbi, bytecode: identityBytecode }, [none]);
  const identityFactory = await deployContract(wallet, reader, { abi: identityFactoryAbi, bytecode: identityFactoryBytecode }, [
    identityImplementation,
  ]);
  // Deployed owned by us so we can wire them up, then handed to `owner`.
  const identityRegistry = await deployContract(wallet, reader, { abi: identityRegistryAbi, bytecode: identityRegistryBytecode }, [
    me, none, none, none, identityImplementation,
  ]);
  const riskScoreRegistry = await deployContract(wallet, reader, { abi: riskScoreRegistryAbi, bytecode: riskScoreRegistryBytecode }, [
    me, identityRegistry,
  ]);
  for (const t of opts.requiredTopics ?? []) {
    await write(wallet, reader, { address: identityRegistry, abi: identityRegistryAbi, functionName: 'addClaimTopic', args: [t] });
  }
  for (const agent of opts.agents ?? [owner]) {
    await write(wallet, reader, { address: identityRegistry, abi: identityRegistryAbi, functionName: 'addAgent', args: [agent] });
    await write(wallet, reader, { address: riskScoreRegistry, abi: riskScoreRegistryAbi, functionName: 'addAgent', args: [agent] });
  }
  if (owner.toLowerCase() !== me.toLowerCase()) {
    for (const address of [identityRegistry, riskScoreRegistry]) {
      await write(wallet, reader, { address, abi: identityRegistryAbi, functionName: 'transferOwnership', args: [owner] });
    }
  }
  return {
    identityImplementation, identityFactory, identityRegistry, riskScoreRegistry,
    claimTopicsRegistry: identityRegistry, trustedIssuersRegistry: identityRegistry, identityRegistryStorage: identityRegistry,
  };
}

/**
 * Deploys a ClaimIssuer managed by `manager` (default: the wallet's account) whose claims `signers` sign, complete in
 * one transaction. `claimIndex`: the identity implementation whose clones hold its claims (the stack's
 * `identityImplementation`); the issuer registers there and reports revocations and signer removals, so registries
 * use the fast verification records of its claims. Without it, its claims are always verified in full.
 */
export async function deployClaimIssuer(
  wallet: Wallet,
  reader: Reader,
  opts: { manager?: Address; signers?: Address[]; claimIndex?: Address } = {},
): Promise<Address> {
  const manager = opts.manager ?? wallet.account.address;
  return deployContract(wallet, reader, { abi: claimIssuerAbi, bytecode: claimIssuerBytecode }, [
    manager, opts.signers ?? [], opts.claimIndex ?? zeroAddress,
  ]);
}

const ZERO_SALT = `0x${'00'.repeat(32)}` as Hex;

export interface InitialKey { key: Hex; purpose: bigint }

function saltOf(wallet: Address, salt: Hex, keys: InitialKey[]): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'address' }, { type: 'bytes32' }, { type: 'bytes32[]' }, { type: 'uint256[]' }],
      [wallet, salt, keys.map((k) => k.key), keys.map((k) => k.purpose)],
    ),
  );
}

/**
 * The address IdentityFactory deploys `wallet`'s identity to, computed off chain (CREATE2 of the ERC-1167 clone
 * of `implementation`), so a wallet knows its identity before anything is deployed.
 */
export function predictIdentityAddress(p: {
  factory: Address;
  implementation: Address;
  wallet: Address;
  salt?: Hex;
  keys?: InitialKey[];
}): Address {
  // ERC-1167 creation code as emitted by OpenZeppelin's Clones.
  const initCode = concat([
    '0x3d602d80600a3d3981f3363d3d373d3d3d363d73',
    p.implementation,
    '0x5af43d82803e903d91602b57fd5bf3',
  ]);
  return getContractAddress({
    opcode: 'CREATE2',
    from: p.factory,
    salt: saltOf(p.wallet, p.salt ?? ZERO_SALT, p.keys ?? []),
    bytecode: initCode,
  });
}

/** Deploys (through the factory) the identity of `wallet`, returning its address. */
export async function deployIdentity(
  wallet: Wallet,
  reader: Reader,
  p: { factory: Address; wallet: Address; salt?: Hex; keys?: InitialKey[] },
): Promise<Address> {
  const salt = p.salt ?? ZERO_SALT;
  const keys = p.keys ?? [];
  const { result } = keys.length === 0
    ? await write(wallet, reader, { address: p.factory, abi: identityFactoryAbi, functionName: 'createIdentity', args: [p.wallet, salt] })
    : await write(wallet, reader, {
        address: p.factory, abi: identityFactoryAbi, functionName: 'createIdentityWithKeys',
        args: [p.wallet, salt, keys.map((k) => k.key), keys.map((k) => k.purpose)],
      });
  return result as Address;
}

// ------------------------------------------------------------------ actions

/** Adds a signed claim to `identity` (the wallet must hold a management or claim key there). Returns the claim id. */
export async function addClaim(wallet: Wallet, reader: Reader, identity: Address, c: SignedClaim): Promise<Hex> {
  const { result } = await write(wallet, reader, {
    address: identity, abi: identityAbi, functionName: 'addClaim', args: [c.topic, c.scheme, c.issuer, c.signature, c.data, c.uri],
  });
  return result as Hex;
}

/** Trusts `issuer` for `topics` (the wallet must own the trusted issuers registry). */
export async function addTrustedIssuer(wallet: Wallet, reader: Reader, registry: Address, issuer: Address, topics: bigint[]) {
  return write(wallet, reader, { address: registry, abi: trustedIssuersRegistryAbi, functionName: 'addTrustedIssuer', args: [issuer, topics] });
}

/** Registers `userWallet` -> `identity` with an ISO 3166-1 numeric country (the wallet must be an agent). */
export async function registerIdentity(
  wallet: Wallet, reader: Reader, registry: Address, userWallet: Address, identity: Address, country: number,
) {
  return write(wallet, reader, { address: registry, abi: identityRegistryAbi, functionName: 'registerIdentity', args: [userWallet, identity, country] });
}

/** IdentityRegistry.isVerified. */
export function isVerified(reader: Reader, registry: Address, userWallet: Address): Promise<boolean> {
  return reader.readContract({ address: registry, abi: identityRegistryAbi, functionName: 'isVerified', args: [userWallet] });
}

/**
 * The raw claim-index row of (identity, topic) (see contracts/identity/ClaimIndex.sol): the first claim's issuer, its
 * verification record (`expiresAt`, and `epoch`: the issuer's epoch when it was verified, 0 = no record), the number of
 * claims held; and `current`: whether registries' fast path takes the record now (epoch still the issuer's, not
 * revoked; expiry and trust are the registry's to check). All zero when no claim is held.
 */
export interface VerificationRecord { issuer: Address; expiresAt: bigint; epoch: bigint; count: number; current: boolean }

/** Reads the verification records of `identity` from the claim index (the identity implementation). */
export async function verificationRecords(reader: Reader, claimIndex: Address, identity: Address, topics: bigint[]): Promise<VerificationRecord[]> {
  return Promise.all(topics.map(async (topic) => {
    const [[issuer, expiresAt, epoch, count], current] = await Promise.all([
      reader.readContract({ address: claimIndex, abi: identityAbi, functionName: 'topicHead', args: [identity, topic] }),
      reader.readContract({ address: claimIndex, abi: identityAbi, functionName: 'verificationRecord', args: [identity, topic] }),
    ]);
    return { issuer, expiresAt: BigInt(expiresAt), epoch: BigInt(epoch), count: Number(count), current: current !== 0n };
  }));
}

/** Sets the risk score (0-100) of an identity (the wallet must be an agent of the risk score registry). */
export async function setRiskScore(wallet: Wallet, reader: Reader, registry: Address, identity: Address, score: number) {
  return write(wallet, reader, { address: registry, abi: riskScoreRegistryAbi, functionName: 'setRiskScore', args: [identity, score] });
}
