// The issuer's own report for a claim (a KYC report, a screening result): typed or attached by the reviewer, sealed
// in this page for the subject's encryption keys on chain (purpose 4, read at the moment of sealing: the subject may
// have rotated since the page opened). The claim then binds the sealed report's hash; the node stores sealed bytes.
// The report replaces the claim's document on its topic, and the node serves a grant only for the claim's current
// document: the field says so, with the grants that would stop opening.
import { useState } from 'preact/hooks';
import type { Address, Hex } from 'viem';
import { api } from '../../../protocol/api.js';
import { toBase64 } from '../../../sdk/base64.js';
import { client } from '../lib/rpc.js';
import { documentCrypto } from '../lib/documents.js';
import { check } from './validate.js';
import { topicName } from '../lib/format.js';
import { Field, Notice, useAsync } from './kit.js';

const reportParams = api.id_reviewKycApplication.params.shape.report.unwrap().shape;
export interface SealedReport { documentHash: Hex; report: { document: { ciphertext: string; mediaType: string }; envelopes: { recipient: string; envelope: string }[] } }

/** The subject's encryption keys on chain, as did:key (what issuers seal for). */
export const keysOfSubject = async (identity: Address) => (await client.rpc.id_getIdentity({ identity })).encryptionKeys.flatMap((k) => (k.did ? [k.did] : []));

export function useReport(identity: Address, topic: number) {
  const [text, setText] = useState('');
  const [file, setFile] = useState<File>();
  const [error, setError] = useState<string>();
  return {
    identity, topic, text, setText, file, setFile, error, setError,
    given: text.trim() !== '' || file !== undefined,
    /** Checks the report and seals it: undefined (with the field's error set) when it cannot be. */
    async seal(): Promise<SealedReport | undefined> {
      const keys = await keysOfSubject(identity);
      const mediaType = file?.type || 'text/plain';
      const bad = file && file.size > 10 * 1024 * 1024 ? 'at most 10 MB'
        : keys.length === 0 ? 'the subject has no encryption key on chain to seal the report for: it publishes one first (Investor › Encryption keys), or go on without a report'
          : check(reportParams.document.shape.mediaType, mediaType);
      setError(bad);
      if (bad) return undefined;
      const { sealForClaim } = await documentCrypto();
      const plaintext = file ? new Uint8Array(await file.arrayBuffer()) : new TextEncoder().encode(text);
      const sealed = await sealForClaim(plaintext, { chainId: await client.chainId(), identity, topic }, keys);
      plaintext.fill(0);
      return { documentHash: sealed.documentHash, report: { document: { ciphertext: toBase64(sealed.bytes), mediaType }, envelopes: sealed.envelopes } };
    },
  };
}

export function ReportField({ r, label, id }: { r: ReturnType<typeof useReport>; label: string; id: string }) {
  return (
    <>
      <Field label={label} error={r.error}
        hint="Sealed in this browser for the subject's encryption keys on chain; the claim then binds the report's hash. Only the subject can open it, and grant it.">
        {(fid, aria) => <textarea id={fid} name="report" value={r.text} onInput={(e) => r.setText((e.target as HTMLTextAreaElement).value)} {...aria} style={{ fontFamily: 'inherit', minHeight: '5rem' }} />}
      </Field>
      <div class="field">
        <label for={id}>Or attach the report as a file</label>
        <input id={id} name="reportFile" type="file" onChange={(e) => r.setFile((e.target as HTMLInputElement).files?.[0])} />
      </div>
      {r.given && <ReplacesDocument identity={r.identity} topic={r.topic} />}
    </>
  );
}

/** What issuing with a report does to the subject's grants of the topic: they open the claim's document, which the report replaces. */
function ReplacesDocument({ identity, topic }: { identity: Address; topic: number }) {
  const grants = useAsync(async () => (await client.rpc.id_listAccessGrants({ identity, topic })).filter((g) => g.status === 'active' && g.onChain), [identity, topic]);
  const n = grants.data?.length;
  const active = grants.error !== undefined ? 'their number could not be read.'
    : n === undefined ? 'counting the active ones…'
      : n === 0 ? 'none is active now.'
        : `${n} active grant${n === 1 ? '' : 's'} will be refused until the subject grants the new document.`;
  return (
    <Notice tone="warn" title="The report replaces the claim's document. ">
      Grants the subject made of its current {topicName(topic)} document (to verifiers, fund administrators and the regulators they granted) stop opening: {active}
    </Notice>
  );
}
