// First-start deployment of the contracts the node serves, recorded in SQLite (meta 'deployment') so later
// starts reuse them; on an external chain the record is checked against the code actually there.
import { getAddress, type Address } from 'viem';
import {
  addTrustedIssuer,
  deployClaimIssuer,
  deployContract,
  deployIdentityStack,
  ECDSA_KEY_TYPE,
  KeyPurpose,
  walletKey,
  type IdentityStack,
} from '../../chain/identity.js';
import { claimIssuerAbi } from '../../chain/artifacts/ClaimIssuer.js';
import { deployZkContracts, type ZkContracts } from '../../chain/zk.js';
import { identityRegistryAbi } from '../../chain/artifacts/IdentityRegistry.js';
import { investorOnboardingAbi, investorOnboardingBytecode } from '../../chain/artifacts/InvestorOnboarding.js';
import { trustedIssuersRegistryAbi } from '../../chain/artifacts/TrustedIssuersRegistry.js';
import type { IssuerConfig } from '../config.js';
import { claimTopicCatalogAbi, claimTopicCatalogBytecode } from '../../chain/artifacts/ClaimTopicCatalog.js';
import { CUSTOM_TOPICS } from '../../risk/jurisdiction.js';
import type { Clients } from './clients.js';
import type { MetaRepo } from '../db/meta.js';
import { deployTokenSide, type DemoTokenKeys, type TokenDeployment } from './token-deploy.js';

export interface Deployment extends IdentityStack, Partial<ZkContracts>, TokenDeployment {
  chainId: number;
  relayer: Address;
  onboarding: Address;
  /**
   * Issuer name -> ClaimIssuer contract. The configured signer holds its management and claim-signer keys; the relayer
   * deploys it and hands management over, keeping no key (deployments of earlier versions: the relayer manages it).
   */
  issuers: Record<string, Address>;
  /** ClaimTopicCatalog: topics 1-8 and the custom JURISDICTION (9) and RISK_SCORE (10), with their names. */
  topicCatalog?: Address;
}

export async function ensureDeployment(
  c: Clients,
  meta: MetaRepo,
  opts: { requiredTopics: number[]; issuers: IssuerConfig[]; demoTokenKeys: DemoTokenKeys; log?: (m: string) => void },
): Promise<Deployment> {
  const wallet = c.walletClient;
  const reader = c.publicClient;
  const me = wallet.account.address;
  // The token side (modules, factory, demo token) comes last: the demo token trusts the configured issuers.
  let d = await meta.get<Omit<Deployment, keyof TokenDeployment> & Partial<TokenDeployment>>('deployment');
  if (d && (d.chainId !== c.chain.id || (await reader.getCode({ address: d.identityFactory }))?.length === undefined)) {
    opts.log?.('recorded deployment not found on this chain: deploying again');
    // The issuers recorded were contracts of that other chain: their names are free for the ones deployed now.
    await meta.forgetIssuers();
    d = undefined;
  }
  if (!d) {
    const t0 = Date.now();
    const stack = await deployIdentityStack(wallet, reader, { requiredTopics: opts.requiredTopics.map(BigInt), agents: [me] });
    const onboarding = await deployContract(wallet, reader, { abi: investorOnboardingAbi, bytecode: investorOnboardingBytecode }, [
      me, stack.identityFactory, stack.identityRegistry,
    ]);
    await writeAndWait(c, { address: onboarding, abi: investorOnboardingAbi, functionName: 'addAgent', args: [me] });
    await writeAndWait(c, { address: stack.identityRegistry, abi: identityRegistryAbi, functionName: 'addAgent', args: [onboarding] });
    d = { ...stack, chainId: c.chain.id, relayer: me, onboarding, issuers: {} };
    await meta.set('deployment', d);
    opts.log?.(`contracts deployed in ${Date.now() - t0} ms`);
  }
  // The ZK contracts (the three Groth16 verifiers, IdentityStateRegistry, ZkQueryVerifier): none has an owner, so the node
  // deploys them with the rest and holds no authority over them. Deployments recorded by earlier versions get them on
  // the next start (external chains alike). No ZkComplianceGate: a gate has an owner, which the node must not be.
  if (!d.identityStateRegistry || !d.zkQueryVerifier || !d.stateTransitionVerifier || !d.credentialQueryVerifier || !d.holderAuthVerifier
    || !(await reader.getCode({ address: d.identityStateRegistry }))) {
    const t0 = Date.now();
    const zk = await deployZkContracts(wallet, reader);
    d = { ...d, ...zk };
    await meta.set('deployment', d);
    opts.log?.(`zk contracts deployed in ${Date.now() - t0} ms (registry ${zk.identityStateRegistry}, query verifier ${zk.zkQueryVerifier})`);
  }
  // The topic catalogue names the custom topics the risk engine uses (deployments of earlier versions get it too).
  if (!d.topicCatalog || !(await reader.getCode({ address: d.topicCatalog }))) {
    const topicCatalog = await deployContract(wallet, reader, { abi: claimTopicCatalogAbi, bytecode: claimTopicCatalogBytecode }, [me]);
    for (const t of CUSTOM_TOPICS) {
      await writeAndWait(c, { address: topicCatalog, abi: claimTopicCatalogAbi, functionName: 'registerTopic', args: [BigInt(t.topic), t.name] });
    }
    d = { ...d, topicCatalog };
    await meta.set('deployment', d);
  }
  for (const iss of opts.issuers) {
    if (d.issuers[iss.name]) continue;
    const signer = getAddress(iss.signer);
    const address = await deployClaimIssuer(wallet, reader, { manager: me, signers: [signer], claimIndex: d.identityImplementation });
    // The issuer's own wallet becomes its manager and the relayer leaves: the node never holds an issuer's authority
    // (revocations come signed by the issuer and go through the ClaimIssuer's executeSigned).
    if (signer.toLowerCase() !== me.toLowerCase()) {
      await writeAndWait(c, { address, abi: claimIssuerAbi, functionName: 'addKey', args: [walletKey(signer), KeyPurpose.MANAGEMENT, ECDSA_KEY_TYPE] });
      await writeAndWait(c, { address, abi: claimIssuerAbi, functionName: 'removeKey', args: [walletKey(me), KeyPurpose.MANAGEMENT] });
    }
    // Trusted here while the relayer still owns the registry (first start); afterwards its owner decides (id_addTrustedIssuer).
    const registryOwner = await reader.readContract({ address: d.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'owner' });
    if (registryOwner.toLowerCase() === me.toLowerCase()) await addTrustedIssuer(wallet, reader, d.trustedIssuersRegistry, address, iss.topics.map(BigInt));
    else opts.log?.(`issuer ${iss.name} not trusted yet: the registry owner ${registryOwner} trusts it with id_addTrustedIssuer`);
    d = { ...d, issuers: { ...d.issuers, [iss.name]: address } };
    await meta.set('deployment', d);
    await meta.putIssuer({ address, name: iss.name, signer: iss.signer, topics: iss.topics });
    opts.log?.(`issuer ${iss.name} deployed at ${address}`);
  }
  if (!d.tokenFactory || !d.token) {
    const t0 = Date.now();
    const issuers = opts.issuers.filter((i) => d!.issuers[i.name]).map((i) => ({ address: d!.issuers[i.name]!, topics: i.topics }));
    d = { ...d, ...(await deployTokenSide(c, {
      identityFactory: d.identityFactory, identityRegistryStorage: d.identityRegistryStorage, requiredTopics: opts.requiredTopics, issuers, keys: opts.demoTokenKeys,
    })) };
    await meta.set('deployment', d);
    opts.log?.(`token factory and demo token ${d.token} deployed in ${Date.now() - t0} ms`);
  }
  return d as Deployment;
}

async function writeAndWait(c: Clients, call: { address: Address; abi: readonly unknown[]; functionName: string; args: readonly unknown[] }) {
  const hash = await c.walletClient.writeContract({ ...call, account: c.walletClient.account, chain: c.walletClient.chain } as never);
  const r = await c.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (r.status !== 'success') throw new Error(`${call.functionName} reverted during deployment`);
}

export { trustedIssuersRegistryAbi };
