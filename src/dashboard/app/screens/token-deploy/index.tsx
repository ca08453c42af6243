// Deploy a token: an issuer's whole ERC-3643 suite in one transaction (token_deploy through the TokenFactory): the
// claim topics its holders need, the issuers trusted for them, compliance modules with their first settings, and the
// agents with their roles. The owner signs the DeploySuite authorization in this page; the node pays gas, holds nothing.
import { useState } from 'preact/hooks';
import { bytesToHex } from 'viem';
import { api } from '../../../../protocol/api.js';
import { MODULE_NAMES } from '../../../../protocol/token-calls.js';
import { SUITE_ROLES } from '../../../../chain/roles.js';
import { client, describeError } from '../../lib/rpc.js';
import { nodeInfo } from '../../lib/node-info.js';
import { navigate } from '../../lib/router.js';
import { short, TOPICS, topicName } from '../../lib/format.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { Button, Loading, Mono, Page, Panel, ProblemNotice, TextField, toast, useAction, useAsync } from '../../ui/kit.js';
import { hasErrors, type Errors } from '../../ui/validate.js';
import { Checks, Refusal, rememberToken } from '../token-admin/common.js';
import { SettingFields, settingOf, type SettingKind } from '../token-admin/settings.js';

type ModuleName = (typeof MODULE_NAMES)[number];
type Role = (typeof SUITE_ROLES)[number];
const MODULE_SETTING: Record<ModuleName, { kind: SettingKind; what: string }> = {
  CountryAllowModule: { kind: 'allowCountries', what: 'Only investors registered in the listed countries may receive.' },
  CountryRestrictModule: { kind: 'restrictCountries', what: 'Investors registered in the listed countries may not receive.' },
  MaxBalanceModule: { kind: 'maxBalance', what: 'No investor may hold more than this.' },
  MaxRiskScoreModule: { kind: 'riskLimit', what: "Identities whose on-chain risk score is above the limit may not send or receive." },
  JurisdictionModule: { kind: 'jurisdictions', what: 'Parties need a country attested by a trusted JURISDICTION claim; the listed countries may not send or receive.' },
  FreshKycModule: { kind: 'freshKyc', what: 'Identities scored above the threshold need a KYC claim younger than the given age.' },
};
const AGENT_DEFAULT: Role[] = ['SUPPLY_MODIFIER', 'FREEZER', 'TRANSFER_MANAGER', 'RECOVERY_AGENT', 'COMPLIANCE_AGENT', 'WHITELIST_MANAGER'];
/** token_deploy's params before the signatures, checked with the API's own schema. */
const deployParams = api.token_deploy.params.omit({ auth: true, authorization: true, storageBinding: true });

export default function DeployToken() {
  return (
    <Page title="Deploy a token" intro="Your token's whole suite in one transaction: token, identity registry, claim topics, trusted issuers, compliance modules and agents. Your wallet owns every contract; you sign the deployment in this page, the node pays the gas and keeps no role.">
      <KeyGate purpose="The token's owner signs its deployment.">{(s) => <DeployForm s={s} />}</KeyGate>
    </Page>
  );
}

function DeployForm({ s }: { s: Session }) {
  const known = useAsync(async () => (await nodeInfo()).issuers, []);
  const [name, setName] = useState('');
  const [symbol, setSymbol] = useState('');
  const [decimals, setDecimals] = useState('18');
  const [topics, setTopics] = useState<number[]>([1]);
  const [trusted, setTrusted] = useState<string[] | undefined>();
  const [modules, setModules] = useState<ModuleName[]>([]);
  const [settings, setSettings] = useState<Record<string, Record<string, string | boolean | undefined>>>({});
  const [agents, setAgents] = useState<{ address: string; roles: Role[] }[]>([{ address: s.signer.address, roles: AGENT_DEFAULT }]);
  const [errors, setErrors] = useState<Errors>({});

  const a = useAction(async () => {
    const issuerInfo = known.data ?? {};
    const chosenIssuers = (trusted ?? Object.keys(issuerInfo).filter((n) => issuerInfo[n]!.topics.some((t) => topics.includes(t))));
    const errs: Errors = {};
    const mods = modules.map((m) => {
      const v = settings[m] ?? {};
      const filled = Object.values(v).some((x) => x !== undefined && x !== '' && x !== false);
      if (!filled) return { module: m };
      const r = settingOf(MODULE_SETTING[m].kind, v as never, Number(decimals) || 0);
      for (const [k, e] of Object.entries(r.errors)) errs[`modules.${m}.${k}`] = e;
      return { module: m, settings: r.setting ? [r.setting] : [] };
    });
    const params = {
      owner: s.signer.address, name: name.trim(), symbol: symbol.trim(), decimals: decimals.trim() === '' ? undefined : Number(decimals),
      salt: bytesToHex(crypto.getRandomValues(new Uint8Array(32))),
      claimTopics: topics,
      trustedIssuers: chosenIssuers.map((n) => ({ issuer: issuerInfo[n]!.address, topics: issuerInfo[n]!.topics })),
      modules: mods,
      agents: agents.filter((x) => x.address.trim() || x.roles.length).map((x) => ({ address: x.address.trim(), roles: x.roles })),
    };
    const r = deployParams.safeParse(params);
    if (!r.success) for (const i of r.error.issues) errs[i.path.join('.')] ??= i.message;
    setErrors(errs);
    if (hasErrors(errs)) return;
    try {
      const out = await client.write('token_deploy', params as never, s.signer);
      rememberToken(out.token, `${params.name} (${params.symbol})`);
      toast('ok', `${params.symbol} deployed`, `Token ${short(out.token)}, gas ${out.gasUsed}`);
      navigate('/token/admin', { token: out.token });
    } catch (e) {
      const field = describeError(e).field;
      if (field && ['name', 'symbol', 'decimals'].includes(field)) setErrors({ [field]: describeError(e).detail });
      else throw e;
    }
  });
  if (known.error) return <ProblemNotice error={known.error} />;
  if (!known.data) return <Loading what="the node's issuers" />;
  const issuerNames = Object.keys(known.data);
  const trustedNow = trusted ?? issuerNames.filter((n) => known.data![n]!.topics.some((t) => topics.includes(t)));
  const moduleErrors = (m: string) => Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith(`modules.${m}.`)).map(([k, v]) => [k.split('.').pop()!, v]));
  return (
    <form class="grid side" aria-label="Deploy a token" onSubmit={(e) => { e.preventDefault(); a.run(); }}>
      <div class="stack">
        <Panel title="Token">
          <div class="grid cols-3">
            <TextField label="Name" name="name" value={name} onInput={setName} error={errors.name} placeholder="Acme Fund I" />
            <TextField label="Symbol" name="symbol" value={symbol} onInput={setSymbol} error={errors.symbol} placeholder="ACME1" hint="Letters, digits, . and -" />
            <TextField label="Decimals" name="decimals" value={decimals} onInput={setDecimals} error={errors.decimals} hint="0 for whole units (shares), 18 like ether" />
          </div>
        </Panel>
        <Panel title="Who may hold it">
          <div class="stack">
            <Checks legend="Claim topics every holder needs" options={Object.keys(TOPICS).map(Number)} value={topics} onChange={setTopics} label={topicName} />
            {errors.claimTopics && <span class="error" role="alert">{errors.claimTopics}</span>}
            <Checks legend="Issuers trusted for them" options={issuerNames} value={trustedNow} onChange={setTrusted}
              label={(n) => `${n} (${known.data![n]!.topics.map(topicName).join(', ')})`} />
            {Object.entries(errors).filter(([k]) => k.startsWith('trustedIssuers')).map(([k, v]) => <span key={k} class="error" role="alert">{v}</span>)}
          </div>
        </Panel>
        <Panel title="Compliance modules">
          <div class="stack">
            {MODULE_NAMES.map((m) => (
              <div key={m} class="stack" style={{ gap: 6 }}>
                <label class="row"><input type="checkbox" checked={modules.includes(m)} onChange={(e) => setModules((e.target as HTMLInputElement).checked ? [...modules, m] : modules.filter((x) => x !== m))} /><strong>{m}</strong><span class="small muted">{MODULE_SETTING[m].what}</span></label>
                {modules.includes(m) && (
                  <div style={{ marginLeft: 24 }} class="stack">
                    <SettingFields kind={MODULE_SETTING[m].kind} v={settings[m] ?? {}} errors={moduleErrors(m)} symbol={symbol || 'tokens'}
                      set={(k, x) => setSettings((o) => ({ ...o, [m]: { ...o[m], [k]: x } }))} />
                  </div>
                )}
              </div>
            ))}
          </div>
        </Panel>
        <Panel title="Agents and their roles">
          <div class="stack">
            {agents.map((ag, i) => (
              <div key={i} class="stack" style={{ gap: 6 }}>
                <div class="row" style={{ alignItems: 'flex-end' }}>
                  <TextField label={`Agent ${i + 1} wallet`} name={`agent${i}`} value={ag.address} error={errors[`agents.${i}.address`]}
                    onInput={(v) => setAgents(agents.map((x, k) => (k === i ? { ...x, address: v } : x)))} hint={ag.address.toLowerCase() === s.signer.address.toLowerCase() ? 'You (the owner)' : undefined} />
                  <Button class="small" onClick={() => setAgents(agents.filter((_, k) => k !== i))}>Remove<span class="sr-only"> agent {i + 1}</span></Button>
                </div>
                <Checks legend={`Roles of agent ${i + 1}`} options={[...SUITE_ROLES]} value={ag.roles} onChange={(roles) => setAgents(agents.map((x, k) => (k === i ? { ...x, roles } : x)))} label={(r) => r} />
                {errors[`agents.${i}.roles`] && <span class="error" role="alert">{errors[`agents.${i}.roles`]}</span>}
              </div>
            ))}
            <div class="row"><Button class="small" onClick={() => setAgents([...agents, { address: '', roles: [] }])}>Add an agent</Button></div>
          </div>
        </Panel>
      </div>
      <Panel title="Deploy">
        <div class="stack">
          <dl class="kv">
            <dt>Owner</dt><dd><Mono>{s.signer.address}</Mono></dd>
            <dt>Contracts</dt><dd>token, identity registry and storage, claim topics, trusted issuers, compliance, token identity</dd>
            <dt>Gas</dt><dd>paid by the node</dd>
          </dl>
          {a.error !== undefined && <Refusal error={a.error} what="Deployment refused" />}
          {hasErrors(errors) && <p class="error small" role="alert" style={{ margin: 0 }}>Some fields need attention.</p>}
          <Button type="submit" class="primary" busy={a.busy} busyLabel="Signing and deploying…">Sign and deploy</Button>
          <p class="small muted" style={{ margin: 0 }}>Next: register investors (WHITELIST_MANAGER) or let them onboard, then mint from <a href="#/token/admin">token administration</a>.</p>
        </div>
      </Panel>
    </form>
  );
}

