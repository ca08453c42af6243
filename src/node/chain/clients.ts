import { createPublicClient, createWalletClient, defineChain, http, type Account, type Chain, type PublicClient, type Transport, type WalletClient } from 'viem';

export interface Clients {
  chain: Chain;
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain, Account>;
}

export function makeClients(rpcUrl: string, chainId: number, account: Account): Clients {
  const chain = defineChain({
    id: chainId,
    name: `masque-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  // batch: concurrent reads share HTTP round trips to the chain, which is what bounds read throughput.
  const transport = http(rpcUrl, { batch: { wait: 0, batchSize: 64 }, retryCount: 0, timeout: 60_000 });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 100 }) as PublicClient;
  const walletClient = createWalletClient({ chain, transport, account });
  return { chain, publicClient, walletClient };
}
