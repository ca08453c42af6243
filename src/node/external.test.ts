// An external chain works like the embedded one: the node deploys to it on first start, relays with the
// configured key, and reuses the recorded deployment on restart.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startAnvil, type Anvil } from '../chain/anvil.js';
import { trustedIssuersRegistryAbi } from '../chain/artifacts/TrustedIssuersRegistry.js';
import { Role } from '../chain/roles.js';
import { startNode } from './node.js';
import { MasqueClient } from '../sdk/index.js';

// anvil's first default dev account: funded on any fresh anvil.
const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
let anvil: Anvil | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'masque-ext-'));
after(async () => { await anvil?.stop(); rmSync(dataDir, { recursive: true, force: true }); });

it('runs against an external chain given by RPC URL and key, and restarts onto the same deployment', { timeout: 120_000 }, async () => {
  anvil = await startAnvil({ chainId: 31338 });
  const registryOwner = privateKeyToAccount(generatePrivateKey());
  const cfg = { dataDir, port: 0, rpcUrl: anvil.rpcUrl, relayerKey: DEV_KEY, registryOwner: registryOwner.address, logLevel: 'silent' as const };
  const node = await startNode({ overrides: cfg, env: {} });
  const client = new MasqueClient(node.url);
  const info = await client.rpc.node_info({});
  assert.equal(info.chainId, 31338);
  assert.equal(info.embeddedChain, false);
  assert.equal(info.relayer, privateKeyToAccount(DEV_KEY).address);
  // No time travel on a shared chain, and its URL (which may carry a key) is not published.
  assert.equal(info.rpcUrl, null);
  await assert.rejects(client.rpc.evm_mine({}), (e: Error & { code?: number }) => e.code === -32601);
  // The identity registry holds both lists itself (the default layout): one contract, handed over once. The configured
  // registry owner holds both setter roles there at once and takes ownership with its own signature.
  const tir = info.contracts.trustedIssuersRegistry as `0x${string}`;
  assert.equal(info.contracts.claimTopicsRegistry, tir);
  const setters = Role.ISSUERS_SETTER | Role.CLAIM_TOPICS_SETTER;
  const roles = await node.ctx.clients.publicClient.readContract({ address: tir, abi: trustedIssuersRegistryAbi, functionName: 'rolesOf', args: [registryOwner.address] });
  assert.equal(roles & setters, setters);
  assert.equal((await client.rpc.id_getTrustedIssuers({})).owner, info.relayer);
  await client.write('id_acceptRegistryOwnership', { registry: tir }, registryOwner);
  assert.equal((await client.rpc.id_getTrustedIssuers({})).owner, registryOwner.address);
  assert.equal((await client.rpc.id_getClaimTopics({})).owner, registryOwner.address);
  const w = privateKeyToAccount(generatePrivateKey());
  const r = await client.write('id_createIdentity', { wallet: w.address }, w);
  // Concurrent relayed writes: the nonce lock gives each its own nonce, none collides, none is lost.
  const many = Array.from({ length: 24 }, () => privateKeyToAccount(generatePrivateKey()));
  const created = await Promise.all(many.map((a) => client.write('id_createIdentity', { wallet: a.address }, a)));
  assert.equal(new Set(created.map((c) => c.identity)).size, many.length);
  assert.ok(created.every((c) => c.created));
  // A write that reverts in estimation consumes no nonce: the next one still goes through.
  await assert.rejects(client.write('id_removeKey', { identity: r.identity as `0x${string}`, key: w.address, purpose: 2 }, w), /reverted/);
  const last = privateKeyToAccount(generatePrivateKey());
  assert.equal((await client.write('id_createIdentity', { wallet: last.address }, last)).created, true);
  await node.stop();
  const again = await startNode({ overrides: cfg, env: {} });
  const c2 = new MasqueClient(again.url);
  assert.deepEqual((await c2.rpc.node_info({})).contracts, info.contracts);
  assert.equal((await c2.rpc.id_getIdentity({ wallet: w.address })).identity, r.identity);
  assert.equal(await c2.raw({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }).then((x) => (x as { result: string }).result), '0x7a6a');
  await again.stop();
});
