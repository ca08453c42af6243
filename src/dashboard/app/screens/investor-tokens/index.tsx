// My tokens: my wallet's position in the node's default token and in every token this browser knows (token_info,
// token_balanceOf): balance, what is available, frozen tokens or a frozen wallet, and whether the token's identity
// registry verifies me (a transfer to or from me needs it).
import type { Address } from 'viem';
import { client } from '../../lib/rpc.js';
import type { Route } from '../../lib/router.js';
import { short } from '../../lib/format.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { Badge, DataTable, Mono, Page, Panel, ProblemNotice, useAsync } from '../../ui/kit.js';
import { knownTokens, TokenSwitch, units } from '../token-admin/common.js';

export default function MyTokens({ route }: { route: Route }) {
  return (
    <Page title="My tokens" intro="Your positions in permissioned tokens, read from the chain now.">
      <KeyGate purpose="Unlock your key to see your wallet's tokens.">{(s) => <Tokens s={s} route={route} />}</KeyGate>
    </Page>
  );
}

function Tokens({ s, route }: { s: Session; route: Route }) {
  const extra = route.query.get('token');
  const rows = useAsync(async () => {
    const addresses = [undefined, ...(extra ? [extra] : []), ...Object.keys(knownTokens())] as (string | undefined)[];
    const seen = new Set<string>();
    const out = [];
    for (const a of addresses) {
      const info = await client.rpc.token_info(a ? { token: a as Address } : {});
      if (seen.has(info.token.toLowerCase())) continue;
      seen.add(info.token.toLowerCase());
      out.push({ info, position: await client.rpc.token_balanceOf({ token: info.token as Address, wallet: s.signer.address }) });
    }
    return out;
  }, [extra, s.signer.address]);
  return (
    <>
      <Panel title="Positions" flush>
        {rows.error ? <div class="body"><ProblemNotice error={rows.error} /></div> : (
          <DataTable caption="My tokens" rows={rows.data ?? []} rowKey={(r) => r.info.token} empty={rows.loading ? 'Loading…' : 'No token.'}
            columns={[
              { key: 'token', title: 'Token', render: (r) => <><strong>{r.info.name}</strong> <span class="muted">{r.info.symbol}</span> <Mono title={r.info.token}>{short(r.info.token)}</Mono></> },
              { key: 'balance', title: 'Balance', render: (r) => units(r.position.balance, r.info.decimals) },
              { key: 'available', title: 'Available', render: (r) => units(r.position.available, r.info.decimals) },
              { key: 'frozen', title: 'Frozen', render: (r) => (r.position.frozen ? <Badge tone="bad">wallet frozen</Badge> : BigInt(r.position.frozenTokens) > 0n ? <Badge tone="warn">{units(r.position.frozenTokens, r.info.decimals)} frozen</Badge> : <span class="muted">—</span>) },
              { key: 'verified', title: 'Eligibility', render: (r) => (r.position.verified ? <Badge tone="ok">verified</Badge> : r.position.registered ? <Badge tone="warn">registered, not verified</Badge> : <Badge>not registered</Badge>) },
              { key: 'paused', title: 'Token', render: (r) => (r.info.paused ? <Badge tone="warn">paused</Badge> : <Badge tone="ok">trading</Badge>) },
            ]} />
        )}
      </Panel>
      <Panel title="Another token"><TokenSwitch path="/investor/tokens" /></Panel>
    </>
  );
}
