import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { startNode, type RunningNode } from './node.js';
import type { NodeConfigInput } from './config.js';

export interface TestNode {
  node: RunningNode;
  dataDir: string;
  issuerSigner: PrivateKeyAccount;
  issuerPrivateKey: `0x${string}`;
  amlSigner: PrivateKeyAccount;
  stop(): Promise<void>;
}

/** One node per test file: embedded anvil, a KYC issuer (topic 1) and an AML issuer (topic 2). */
export async function startTestNode(extra: Partial<NodeConfigInput> = {}): Promise<TestNode> {
  const dataDir = mkdtempSync(join(tmpdir(), 'masque-node-test-'));
  const issuerPrivateKey = generatePrivateKey();
  const issuerSigner = privateKeyToAccount(issuerPrivateKey);
  const amlSigner = privateKeyToAccount(generatePrivateKey());
  const node = await startNode({
    overrides: {
      dataDir, port: 0, logLevel: 'silent',
      issuers: [
        { name: 'kyc', signer: issuerSigner.address, topics: [1] },
        { name: 'aml', signer: amlSigner.address, topics: [2] },
      ],
      ...extra,
    },
    env: {},
  });
  return {
    node, dataDir, issuerSigner, issuerPrivateKey, amlSigner,
    async stop() {
      await node.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
