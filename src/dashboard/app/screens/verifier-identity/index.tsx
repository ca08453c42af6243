// Verify any identity: its registration, keys and, for every registered topic, the chain's verdict (id_verifyClaim:
// valid, issued, expired, revoked, issuer untrusted, none) at the chain's time, with the claim's window. An address
// is taken as an identity contract when it holds code, else as a wallet whose identity is looked up. Public reads.
import { useState } from 'preact/hooks';
import type { Address } from 'viem';
import { api } from '../../../../protocol/api.js';
import { client } from '../../lib/rpc.js';
import { navigate, type Route } from '../../lib/router.js';
import { date, dateTime, short, topicName, TOPICS } from '../../lib/format.js';
import { lifecycleLabel, lifecycleOf } from '../../lib/lifecycle.js';
import { Badge, Button, DataTable, Mono, Page, Panel, ProblemNotice, TextField, useAsync } from '../../ui/kit.js';
import { check } from '../../ui/validate.js';

const addressParam = api.id_getIdentity.params.shape.identity;

async function isContract(a: Address): Promise<boolean> {
  const r = (await client.raw({ jsonrpc: '2.0', id: 1, method: 'eth_getCode', params: [a, 'latest'] })) as { result?: string };
  return Boolean(r.result && r.result !== '0x');
}

export default function VerifyIdentity({ route }: { route: Route }) {
  const target = route.query.get('address') ?? '';
  const [input, setInput] = useState(target);
  const [error, setError] = useState<string>();
  const result = useAsync(async () => {
    if (!target) return undefined;
    const a = target as Address;
    const id = await client.rpc.id_getIdentity((await isContract(a)) ? { identity: a } : { wallet: a });
    const topics = [...new Set([...Object.keys(TOPICS).map(Number), ...id.claims.map((c) => c.topic)])];
    const verdicts = await Promise.all(topics.map(async (topic) => {
      const verdict = await client.rpc.id_verifyClaim({ identity: id.identity as Address, topic });
      const claim = id.claims.find((c) => c.claimId === verdict.claimId) ?? id.claims.find((c) => c.topic === topic);
      return { topic, verdict, claim };
    }));
    return { id, verdicts };
  }, [target]);
  const v0 = result.data?.verdicts[0]?.verdict;
  return (
    <Page title="Verify an identity" intro="What the chain says now about any identity: registration, keys, and each topic's claim state at the chain's time.">
      <Panel title="Identity or wallet">
        <form class="row" aria-label="Verify an identity" onSubmit={(e) => { e.preventDefault(); const err = check(addressParam, input.trim()); setError(err); if (!err) navigate('/verifier/identity', { address: input.trim() }); }}>
          <div style={{ flex: 1 }}><TextField label="Identity contract or wallet address" name="address" value={input} onInput={setInput} placeholder="0x…" error={error} /></div>
          <Button type="submit" class="primary">Verify</Button>
        </form>
      </Panel>
      {result.error !== undefined && <ProblemNotice error={result.error} />}
      {result.data && (
        <div class="grid side">
          <Panel title="Claims by topic" flush>
            <DataTable caption="Claims" rows={result.data.verdicts} rowKey={(r) => String(r.topic)} empty="No topic."
              columns={[
                { key: 'topic', title: 'Topic', render: (r) => <strong>{topicName(r.topic)}</strong> },
                { key: 'state', title: 'State', render: (r) => { if (!r.claim && r.verdict.state === 'none') return <span class="muted">No claim</span>; const l = lifecycleLabel(lifecycleOf(r.claim ?? { issuedAt: 0, expiresAt: 0 }, r.verdict)); return <Badge tone={l.tone}>{l.text}</Badge>; } },
                { key: 'issuer', title: 'Issuer', render: (r) => <Mono title={r.verdict.issuer ?? r.claim?.issuer}>{short(r.verdict.issuer ?? r.claim?.issuer)}</Mono> },
                { key: 'expires', title: 'Expires', render: (r) => (r.claim ? (r.claim.expiresAt ? date(r.claim.expiresAt) : 'never') : '—') },
              ]} />
          </Panel>
          <Panel title="Identity">
            <dl class="kv">
              <dt>Contract</dt><dd><Mono>{result.data.id.identity}</Mono></dd>
              <dt>Wallet</dt><dd><Mono>{result.data.id.wallet ?? '—'}</Mono></dd>
              <dt>Registry</dt><dd>{result.data.id.registered ? <Badge tone="ok">registered</Badge> : <Badge>not registered</Badge>} {result.data.id.verified ? <Badge tone="ok">verified</Badge> : <Badge tone="warn">not verified</Badge>}</dd>
              <dt>Keys</dt><dd>{result.data.id.keys.length}</dd>
              {v0 && <><dt>Judged at</dt><dd>block {v0.blockNumber}, chain time {dateTime(v0.chainTime)}</dd></>}
            </dl>
          </Panel>
        </div>
      )}
    </Page>
  );
}
