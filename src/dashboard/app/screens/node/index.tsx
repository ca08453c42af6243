// Node: the chain it serves, its contracts, the trusted issuers with their topics, its health and methods.
import { client } from '../../lib/rpc.js';
import { nodeInfo } from '../../lib/node-info.js';
import { blockNumber, trustedIssuerTopics } from '../../lib/chain.js';
import { Badge, CopyButton, DataTable, Loading, Mono, Page, Panel, ProblemNotice, Stat, useAsync } from '../../ui/kit.js';
import { topicName } from '../../lib/format.js';

export default function NodeScreen() {
  const info = useAsync(() => nodeInfo(), []);
  const extra = useAsync(async () => {
    const [health, block, discover] = await Promise.all([
      fetch('/health').then((r) => r.json() as Promise<{ ok: boolean; cache?: { hits: number; misses: number } }>),
      blockNumber(),
      client.raw({ jsonrpc: '2.0', id: 1, method: 'rpc.discover' }) as Promise<{ result: { methods: { name: string; summary?: string }[] } }>,
    ]);
    return { health, block, methods: discover.result.methods };
  }, []);
  const topics = useAsync(async () => {
    const i = await nodeInfo();
    return trustedIssuerTopics(i.contracts.trustedIssuersRegistry as `0x${string}`);
  }, []);
  if (info.error) return <ProblemNotice error={info.error} />;
  if (!info.data) return <Loading what="the node" />;
  const i = info.data;
  const names = new Map(Object.entries(i.issuers).map(([n, a]) => [String(typeof a === 'string' ? a : (a as { address: string }).address).toLowerCase(), n]));
  const hits = extra.data?.health.cache;
  return (
    <Page title="Node" intro="What this node serves. Every figure here comes from its public JSON-RPC API.">
      <div class="grid cols-4">
        <Stat label="Status" value={extra.data ? <Badge tone={extra.data.health.ok ? 'ok' : 'bad'}>{extra.data.health.ok ? 'Healthy' : 'Unhealthy'}</Badge> : '…'} sub={`version ${i.version}`} />
        <Stat label="Chain" value={i.chainId} sub={i.embeddedChain ? 'embedded anvil' : 'external chain'} />
        <Stat label="Latest block" value={extra.data?.block ?? '…'} />
        <Stat label="Read cache" value={hits ? `${Math.round((100 * hits.hits) / Math.max(1, hits.hits + hits.misses))}%` : '…'} sub={hits ? `${hits.hits} hits, ${hits.misses} misses` : undefined} />
      </div>
      <div class="grid side">
        <Panel title="Trusted issuers and their topics" flush>
          {topics.error ? <ProblemNotice error={topics.error} /> : (
            <DataTable caption="Trusted issuers" rows={topics.data ?? []} rowKey={(r) => r.issuer} empty={topics.loading ? 'Loading…' : 'No trusted issuer yet.'}
              columns={[
                { key: 'name', title: 'Issuer', render: (r) => <strong>{names.get(r.issuer.toLowerCase()) ?? 'not configured here'}</strong> },
                { key: 'address', title: 'ClaimIssuer contract', render: (r) => <Mono>{r.issuer}</Mono> },
                { key: 'topics', title: 'Topics', render: (r) => <div class="row">{r.topics.map((t) => <Badge key={t} tone="info">{topicName(t)}</Badge>)}</div> },
              ]} />
          )}
        </Panel>
        <Panel title="Identity">
          <dl class="kv">
            <dt>Node DID</dt><dd><Mono>{i.did}</Mono></dd>
            <dt>Relayer</dt><dd><Mono>{i.relayer}</Mono> <span class="muted small">(pays gas; holds no role)</span></dd>
            <dt>Endpoint</dt><dd><Mono>{location.origin}/</Mono> <CopyButton text={`${location.origin}/`} /></dd>
          </dl>
        </Panel>
      </div>
      <Panel title="Contracts" flush>
        <DataTable caption="Contracts" rows={Object.entries(i.contracts) as [string, string][]} rowKey={([k]) => k} empty="No contracts recorded."
          columns={[
            { key: 'name', title: 'Contract', render: ([k]) => k },
            { key: 'address', title: 'Address', render: ([, a]) => <Mono>{a}</Mono> },
          ]} />
      </Panel>
      <Panel title={`JSON-RPC methods (${extra.data?.methods.length ?? '…'})`} flush>
        <DataTable caption="Methods" rows={extra.data?.methods ?? []} rowKey={(m) => m.name} empty={extra.loading ? 'Loading…' : 'none'}
          columns={[
            { key: 'name', title: 'Method', render: (m) => <Mono>{m.name}</Mono> },
            { key: 'summary', title: 'What it does', render: (m) => <span class="small">{m.summary}</span> },
          ]} />
      </Panel>
    </Page>
  );
}
