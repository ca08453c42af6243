// The token's compliance modules with their current settings as token_info reads them from the chain, and their
// changes (token_setCompliance: add, remove, configure) signed in this page. A module of the node's is edited in place
// (a country removed by its chip, a row's "Edit" filling the form with its values); any other module is listed by
// address with what can be read of it ("settings unknown" when nothing can).
import { useState } from 'preact/hooks';
import { formatUnits, type Address } from 'viem';
import { MODULE_NAMES } from '../../../../protocol/token-calls.js';
import { client } from '../../lib/rpc.js';
import { short } from '../../lib/format.js';
import type { Session } from '../../keys/session.js';
import { Badge, Button, DataTable, Mono, Panel, SelectField, toast, useAction } from '../../ui/kit.js';
import { hasErrors, type Errors } from '../../ui/validate.js';
import { NeedsKey, Refusal, units, type TokenInfo } from './common.js';
import { KINDS, SettingFields, settingOf, type SettingKind } from './settings.js';

type Module = TokenInfo['modules'][number];
type Settings = NonNullable<Module['settings']>;
type Values = Record<string, string | boolean | undefined>;
/** What the configure form starts from: a kind and the values typed in it. */
interface Draft { kind: SettingKind; v: Values }
/** A country list of a module: its label, and the setting kind that takes a country off it. */
interface CountryList { label: string; countries: number[]; remove: SettingKind }

const DAY = 86_400;
const days = (seconds: number) => (seconds % DAY === 0 ? String(seconds / DAY) : (seconds / DAY).toFixed(2));

/** The module's country lists (none for the others). */
function countryLists(s: Settings): CountryList[] {
  switch (s.module) {
    case 'CountryAllowModule': return [{ label: 'Allowed', countries: s.allowedCountries, remove: 'disallowCountries' }];
    case 'CountryRestrictModule': return [{ label: 'Blocked', countries: s.restrictedCountries, remove: 'unrestrictCountries' }];
    case 'JurisdictionModule': return [
      { label: 'Allowed jurisdictions', countries: s.allowedCountries, remove: 'clearJurisdictions' },
      { label: 'Blocked jurisdictions', countries: s.blockedCountries, remove: 'clearJurisdictions' },
    ];
    default: return [];
  }
}

/** The configure form filled with the module's current values (its main setter). */
function draftOf(s: Settings, decimals: number): Draft {
  switch (s.module) {
    case 'CountryAllowModule': return { kind: 'allowCountries', v: {} };
    case 'CountryRestrictModule': return { kind: 'restrictCountries', v: {} };
    case 'MaxBalanceModule': return { kind: 'maxBalance', v: { amount: formatUnits(BigInt(s.maxBalance), decimals) } };
    case 'MaxRiskScoreModule': return { kind: 'riskLimit', v: { maxScore: String(s.maxScore), allowUnscored: s.allowUnscored } };
    case 'JurisdictionModule': return { kind: 'jurisdictionRules', v: { allowListOnly: s.allowListOnly } };
    case 'FreshKycModule': return { kind: 'freshKyc', v: s.riskRegistry ? { maxScore: String(s.scoreAbove), maxAgeDays: days(s.maxAgeSeconds) } : {} };
  }
}

/** The settings in words; a module whose rule was never set says that it refuses every transfer. */
function Summary({ s, info }: { s: Settings; info: TokenInfo }) {
  const unset = <Badge tone="bad">not configured: refuses every transfer</Badge>;
  switch (s.module) {
    case 'CountryAllowModule': return s.allowedCountries.length ? null : <Badge tone="bad">no country allowed: refuses every receiver</Badge>;
    case 'CountryRestrictModule': return s.restrictedCountries.length ? null : <span class="muted">no country blocked</span>;
    case 'MaxBalanceModule':
      return s.maxBalance === '0' ? <Badge tone="bad">maximum 0: refuses every incoming transfer</Badge> : <span>At most <strong>{units(s.maxBalance, info.decimals)} {info.symbol}</strong> per investor</span>;
    case 'MaxRiskScoreModule':
      return s.riskRegistry ? <span>Risk score at most <strong>{s.maxScore}</strong>; unscored identities {s.allowUnscored ? 'pass' : 'refused'}</span> : unset;
    case 'JurisdictionModule':
      return <span>Attested by topic {s.topic} claims; {s.allowListOnly ? <strong>allow list only</strong> : 'any attested country not blocked'}</span>;
    case 'FreshKycModule':
      return s.riskRegistry ? <span>Scored above <strong>{s.scoreAbove}</strong>: KYC (topic {s.topic}) at most <strong>{days(s.maxAgeSeconds)} days</strong> old</span> : unset;
  }
}

export function Modules({ s, info, onDone }: { s: Session | null; info: TokenInfo; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>({ kind: 'allowCountries', v: {} });
  const [formKey, setFormKey] = useState(0);
  const tok = { token: info.token as Address };
  const unlist = useAction(async (kind: SettingKind, country: number) => {
    const r = settingOf(kind, { countries: String(country) }, info.decimals);
    await client.write('token_setCompliance', { ...tok, action: 'configure', setting: r.setting as never }, s!.signer);
    toast('ok', `Country ${country} removed`, KINDS.find((k) => k.value === kind)!.label);
    onDone();
  });
  const editable = (m: Module) => !!s && m.configurable && m.settings !== null;
  const edit = (m: Module) => { setDraft(draftOf(m.settings!, info.decimals)); setFormKey((k) => k + 1); };
  return (
    <Panel title="Compliance modules" label="Compliance modules">
      <div class="stack">
        <DataTable caption="Compliance modules" rows={info.modules} rowKey={(m) => m.address} empty="No module: transfers need verified identities only."
          columns={[
            { key: 'name', title: 'Module', render: (m) => <><strong>{m.name === 'unknown' ? 'Unknown module' : m.name}</strong><br /><Mono title={m.address}>{short(m.address)}</Mono></> },
            {
              key: 'settings', title: 'Current settings', render: (m) => !m.settings ? <Badge tone="warn">settings unknown</Badge> : (
                <div class="stack" style={{ gap: 4 }}>
                  <Summary s={m.settings} info={info} />
                  {countryLists(m.settings).filter((l) => l.countries.length).map((l) => (
                    <div key={l.label} class="row small" style={{ gap: 4 }}>
                      {l.label}:
                      {l.countries.map((c) => editable(m)
                        ? <Button key={c} class="small" aria-label={`Remove ${c} from ${l.label.toLowerCase()} (${m.name})`} busy={unlist.busy} onClick={() => unlist.run(l.remove, c)}>{c} ×</Button>
                        : <Badge key={c}>{c}</Badge>)}
                    </div>
                  ))}
                </div>
              ),
            },
            {
              key: 'edit', title: 'Edit', render: (m) => editable(m) ? <Button class="small" aria-label={`Edit ${m.name}`} onClick={() => edit(m)}>Edit</Button>
                : <span class="small muted">{m.configurable ? '' : 'not one of the node\'s modules'}</span>,
            },
          ]} />
        {unlist.error !== undefined && <Refusal error={unlist.error} what="Country not removed" />}
        {s ? <ModuleForms key={formKey} s={s} info={info} draft={draft} onDone={onDone} /> : <NeedsKey what="add, remove or configure modules (owner, COMPLIANCE_SETTER; configure: COMPLIANCE_AGENT too)" />}
      </div>
    </Panel>
  );
}

function ModuleForms({ s, info, draft, onDone }: { s: Session; info: TokenInfo; draft: Draft; onDone: () => void }) {
  const present = new Set(info.modules.map((m) => m.name));
  const [module, setModule] = useState('');
  const [kind, setKind] = useState<SettingKind>(draft.kind);
  const [v, setV] = useState<Values>(draft.v);
  const [errors, setErrors] = useState<Errors>({});
  const tok = { token: info.token as Address };
  const addable = MODULE_NAMES.filter((n) => !present.has(n));
  const chosen = module || addable[0] || '';
  const change = useAction(async (action: 'add' | 'remove', name: string) => {
    await client.write('token_setCompliance', { ...tok, action, module: name as (typeof MODULE_NAMES)[number] }, s.signer);
    toast('ok', `${info.modules.find((m) => m.address === name)?.name ?? name} ${action === 'add' ? 'added' : 'removed'}`);
    setModule('');
    onDone();
  });
  const configure = useAction(async () => {
    const r = settingOf(kind, v as never, info.decimals);
    setErrors(r.errors);
    if (hasErrors(r.errors)) return;
    await client.write('token_setCompliance', { ...tok, action: 'configure', setting: r.setting as never }, s.signer);
    toast('ok', 'Module configured', KINDS.find((k) => k.value === kind)!.label);
    onDone();
  });
  return (
    <>
      <div class="row" style={{ alignItems: 'flex-end' }}>
        {addable.length > 0 && <>
          <SelectField label="Add a module" name="module" value={chosen} onChange={setModule} options={addable.map((n) => ({ value: n, label: n }))} />
          <Button class="small" busy={change.busy} onClick={() => change.run('add', chosen)}>Add</Button>
        </>}
        {info.modules.map((m) => <Button key={m.address} class="small danger" busy={change.busy} onClick={() => change.run('remove', m.address)}>Remove {m.name === 'unknown' ? short(m.address) : m.name}</Button>)}
      </div>
      {change.error !== undefined && <Refusal error={change.error} what="Module change refused" />}
      <form class="stack" aria-label="Configure a module" onSubmit={(e) => { e.preventDefault(); configure.run(); }}>
        <SelectField label="Configure" name="kind" value={kind} onChange={(x) => { setKind(x as SettingKind); setErrors({}); }} options={KINDS} />
        <SettingFields kind={kind} v={v} set={(k, x) => setV((o) => ({ ...o, [k]: x }))} errors={errors} symbol={info.symbol} />
        {configure.error !== undefined && <Refusal error={configure.error} what="Configuration refused" />}
        <div class="row"><Button type="submit" busy={configure.busy} busyLabel="Signing…">Apply setting</Button></div>
      </form>
    </>
  );
}
