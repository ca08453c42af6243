// The identity contracts a wallet manages, found on the embedded chain from ERC-734 KeyAdded logs read in ranges of
// `logBlockRange` blocks: providers refuse a log query over the whole chain, so none is longer than the range.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, createWalletClient, custom, http, type Address, type PublicClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { identityAbi, identityBytecode } from '../chain/artifacts/Identity.js';
import { deployContract, ECDSA_KEY_TYPE, KeyPurpose, walletKey, write } from '../chain/identity.js';
import { REORG_MARGIN, walletIdentities } from './methods/wallet-identities.js';
import { connectClient, startTestNode, type TestNode } from './test-helpers.js';

const RANGE = 4;
let t: TestNode;

before(async () => { t = await startTestNode({ logBlockRange: RANGE }); });
after(async () => { await t?.stop(); });

describe('walletIdentities: KeyAdded logs in ranges of logBlockRange blocks', () => {
  const wallet = privateKeyToAccount(generatePrivateKey());
  const other = privateKeyToAccount(generatePrivateKey());

  /** `who` deploys an Identity whose first management key is its own wallet, outside the node. */
  const deployIdentity = async (who: PrivateKeyAccount) => {
    const { publicClient: r, walletClient, chain } = t.node.ctx.clients;
    await r.request({ method: 'anvil_setBalance' as never, params: [who.address, '0x56bc75e2d63100000'] as never });
    const w = createWalletClient({ account: who, chain: walletClient.chain, transport: http(chain.rpcUrls.default.http[0]) });
    return { w, identity: await deployContract(w, r, { abi: identityAbi, bytecode: identityBytecode }, [who.address]) };
  };
  /** walletIdentities through a provider that refuses a log query over more than RANGE blocks; `queries` records each. */
  const throughCappedProvider = (wallet: Address) => {
    const ctx = t.node.ctx;
    const r = ctx.clients.publicClient;
    const queries: [bigint, bigint][] = [];
    const capped = createPublicClient({
      chain: ctx.clients.chain,
      transport: custom({
        async request({ method, params }) {
          if (method === 'eth_getLogs') {
            const [{ fromBlock, toBlock }] = params as [{ fromBlock: string; toBlock: string }];
            const [from, to] = [BigInt(fromBlock), BigInt(toBlock)];
            if (to - from + 1n > BigInt(RANGE)) throw new Error(`query exceeds ${RANGE} blocks`);
            queries.push([from, to]);
          }
          return r.request({ method, params } as never);
        },
      }),
    }) as PublicClient;
    return { queries, found: walletIdentities({ ...ctx, clients: { ...ctx.clients, publicClient: capped } }, wallet) };
  };
  const mine = (blocks: number) => t.node.ctx.clients.publicClient.request({ method: 'anvil_mine' as never, params: [`0x${blocks.toString(16)}`] as never });

  it('finds identities whose KeyAdded logs lie ranges apart, with no log query longer than the range', async () => {
    const ctx = t.node.ctx;
    const r = ctx.clients.publicClient;
    const { identity: own } = await deployIdentity(wallet);
    await mine(2 * RANGE + 1);
    // Another wallet's identity that adds this wallet as a management key later (addKey, not the constructor).
    const { w, identity: shared } = await deployIdentity(other);
    await write(w, r, { address: shared, abi: identityAbi, functionName: 'addKey', args: [walletKey(wallet.address), KeyPurpose.MANAGEMENT, ECDSA_KEY_TYPE] });
    await mine(RANGE + 1);
    const head = await r.getBlockNumber({ cacheTime: 0 });

    const { queries, found } = throughCappedProvider(wallet.address);
    assert.deepEqual(new Set(await found), new Set([own, shared]));
    // Contiguous ranges from block 0 to the head the request was answered at (at least the head read above).
    assert.ok(queries.length >= Math.ceil(Number(head + 1n) / RANGE), `${queries.length} queries for ${head + 1n} blocks`);
    queries.forEach(([from], i) => assert.equal(from, i === 0 ? 0n : queries[i - 1]![1] + 1n));
    assert.ok(queries.at(-1)![1] >= head);

    // The same answer through the API (id_resolveDid lists the wallet's identities), on the node's own reader.
    const { client, chainId } = await connectClient(t);
    const doc = await client.rpc.id_resolveDid({ did: `did:pkh:eip155:${chainId}:${wallet.address}` }) as { service?: { serviceEndpoint: string }[] };
    assert.deepEqual(new Set(doc.service?.map((s) => s.serviceEndpoint)), new Set([own, shared].map((a: Address) => `did:pkh:eip155:${chainId}:${a}`)));
  });

  it("scans again only from the wallet's last scan less the reorg margin, and finds what came since", async () => {
    const newcomer = privateKeyToAccount(generatePrivateKey());
    const { identity: first } = await deployIdentity(newcomer);
    await mine(Number(REORG_MARGIN) + 4 * RANGE);
    const scan1 = throughCappedProvider(newcomer.address);
    assert.deepEqual(await scan1.found, [first]);
    assert.equal(scan1.queries[0]![0], 0n, 'a first scan starts at block 0');
    const scanned = scan1.queries.at(-1)![1];
    await mine(8 * RANGE);
    const { identity: second } = await deployIdentity(newcomer);
    const scan2 = throughCappedProvider(newcomer.address);
    assert.deepEqual(new Set(await scan2.found), new Set([first, second]), 'the first one remembered, the new one found');
    assert.equal(scan2.queries[0]![0], scanned - REORG_MARGIN);
    assert.ok(scan2.queries.length < scan1.queries.length, `${scan2.queries.length} queries, ${scan1.queries.length} the first time`);
  });
});
