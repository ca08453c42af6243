// What the token administrator's and the risk screens share: the token in view (the route's `?token=`, the node's
// default token when absent, tokens deployed from this browser remembered), amounts in whole tokens, holders with
// their position, and refusals shown with the role or the compliance rule the node names.
import { useState } from 'preact/hooks';
import { formatUnits, parseUnits, type Address } from 'viem';
import { addressSchema } from '../../../../protocol/auth.js';
import { client, describeError } from '../../lib/rpc.js';
import { navigate, type Route } from '../../lib/router.js';
import type { Result } from '../../../../protocol/api.js';
import { Badge, Button, Notice, TextField, useAsync } from '../../ui/kit.js';
import { check } from '../../ui/validate.js';

export type TokenInfo = Result<'token_info'>;
export type Position = Result<'token_balanceOf'>;

const KNOWN = 'masque.tokens';
/** Tokens this browser deployed or opened (address -> "NAME (SYM)"): a convenience, the chain is the truth. */
export function knownTokens(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KNOWN) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}
export function rememberToken(address: string, label: string): void {
  localStorage.setItem(KNOWN, JSON.stringify({ ...knownTokens(), [address]: label }));
}

/** The route's token (undefined: the node's default token) and its token_info. */
export function useToken(route: Route) {
  const token = (route.query.get('token') ?? undefined) as Address | undefined;
  const info = useAsync(async () => {
    const i = await client.rpc.token_info(token ? { token } : {});
    rememberToken(i.token, `${i.name} (${i.symbol})`);
    return i;
  }, [token]);
  return { token, info };
}

/** Opens another token: one of the known ones, or any address (checked by the API's schema before the node is asked). */
export function TokenSwitch({ path, current }: { path: string; current?: TokenInfo }) {
  const [address, setAddress] = useState('');
  const [error, setError] = useState<string>();
  const known = Object.entries(knownTokens()).filter(([a]) => a.toLowerCase() !== current?.token.toLowerCase());
  const open = (a?: string) => navigate(path, { token: a });
  return (
    <form class="row" aria-label="Choose a token" style={{ alignItems: 'flex-end' }}
      onSubmit={(e) => { e.preventDefault(); const err = check(addressSchema, address.trim()); setError(err); if (!err) open(address.trim()); }}>
      <TextField label="Token address" name="token" value={address} onInput={setAddress} placeholder="0x…" error={error} />
      <Button type="submit" class="small">Open</Button>
      <Button class="small" onClick={() => open(undefined)}>Node's default token</Button>
      {known.slice(0, 4).map(([a, label]) => <Button key={a} class="small" onClick={() => open(a)}>{label}</Button>)}
    </form>
  );
}

/** A base-unit amount in whole tokens. */
export const units = (amount: string | bigint, decimals: number) => {
  const s = formatUnits(BigInt(amount), decimals);
  const [i, f] = s.split('.');
  return `${i!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${f ? `.${f.slice(0, 6)}` : ''}`;
};

/** Whole tokens typed by a person, as the API's base-unit string; an error in words when it is not a number. */
export function toBaseUnits(text: string, decimals: number): { value?: string; error?: string } {
  const t = text.trim().replace(/[,_ ]/g, '');
  if (!/^\d+(\.\d+)?$/.test(t)) return { error: 'expected a number of tokens, e.g. 100 or 2.5' };
  if ((t.split('.')[1]?.length ?? 0) > decimals) return { error: `at most ${decimals} decimals for this token` };
  return { value: parseUnits(t, decimals).toString() };
}

/** Several wallets' positions (balance, frozen, identity) in one HTTP request. */
export async function positions(token: Address | undefined, wallets: string[]): Promise<Map<string, Position>> {
  if (!wallets.length) return new Map();
  const res = await client.batch(wallets.map((wallet) => ({ method: 'token_balanceOf', params: token ? { token, wallet } : { wallet } })));
  const out = new Map<string, Position>();
  res.forEach((r, i) => { if (r.status === 'fulfilled') out.set(wallets[i]!.toLowerCase(), r.value as Position); });
  return out;
}

/**
 * A refusal with what the node says caused it: the missing role (-32001, data.roles), the transfer rule
 * (-32004, data.reason: RECEIVER_NOT_VERIFIED, PAUSED, a module's code...), or the field it names.
 */
export function Refusal({ error, what }: { error: unknown; what?: string }) {
  const p = describeError(error);
  const data = (error as { data?: { roles?: string[]; reason?: string; contract?: string } }).data;
  return (
    <Notice tone="bad" title={what ? `${what}: ${p.title.toLowerCase()}` : p.title}>
      <div>{p.detail}</div>
      {(data?.roles?.length || data?.reason) && (
        <div class="row small" style={{ marginTop: 6 }}>
          {data.roles?.length ? <>Needs <span class="row">{data.roles.map((r) => <Badge key={r} tone="bad">{r}</Badge>)}</span>{data.contract && <> on the {data.contract}</>}</> : null}
          {data.reason && <>Compliance reason <Badge tone="bad">{data.reason}</Badge></>}
        </div>
      )}
      {p.field && <div class="small">Field <code>{p.field}</code></div>}
    </Notice>
  );
}

/** Where a panel would sign and no key is unlocked: the unlock panel is in the operations column. */
export const NeedsKey = ({ what }: { what: string }) => <p class="small muted" style={{ margin: 0 }}>Unlock a key (beside the cap table) to {what}.</p>;

/** A group of checkboxes with its legend (claim topics, roles). */
export function Checks<T extends string | number>({ legend, options, value, onChange, label }: { legend: string; options: T[]; value: T[]; onChange: (v: T[]) => void; label: (o: T) => string }) {
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
      <legend style={{ fontWeight: 600, fontSize: 13, marginBottom: 4 }}>{legend}</legend>
      <div class="row">
        {options.map((o) => (
          <label key={String(o)} class="row small" style={{ gap: 4 }}>
            <input type="checkbox" checked={value.includes(o)} onChange={(e) => onChange((e.target as HTMLInputElement).checked ? [...value, o] : value.filter((x) => x !== o))} />{label(o)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
