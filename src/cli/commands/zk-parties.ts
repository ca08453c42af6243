// `masque zk ...` for the three ZK parties (src/zk/README.md, "Parties over the network"): their usage lines and
// options, and the routing; the commands themselves are in ./zk-parties-run.ts, imported only when one of them runs
// (the prover, SQLite and the wallet would otherwise add ~0.5 s to every `masque` start).
import type { CliContext } from '../context.js';

export const partyUsage = `zk issuer init --as K --issuer A|name        host K's ZK issuer at the node (Baby Jubjub key derived from K, trees mirrored in --zk-dir)
zk issuer show --as K | publish --as K      its state at the node; publish pending changes (transition signed and proven here)
zk issue <applicationId> --as K [--days 365] ZK claims from an approved KYC application's document, sealed to its holder
zk revoke --as K (--application A | --nonce N)   revoke (published by the next \`zk issuer publish\`)
zk wallet init --as H | show --as H         the holder's sealed wallet in --zk-dir: its ID, DID and ML-KEM key for issuers
zk fetch --as H                             fetch and keep the claims delivered to H
zk prove <request.json> --as H [--out F] [--gist-root R]   answer a request (or a list of alternatives) with proofs made
                                            here, with H's key of its latest state (after a rotation: the new key); at the
                                            current GIST root, or R, an earlier one the registry still accepts
zk prove <requestId> --onchain --as H [--out F]   answer a ZkQueryVerifier request (challenge = H's wallet)
zk submit <requestId> <response.json> --as H   submit the answer to ZkQueryVerifier from H's wallet (H pays gas)
zk rotate --as H                            add the next key, remove the old one, publish the transition (proven here)
zk ask --issuer ID --schema kyc --field F --operator OP [--values a,b|EU] [--verifier-id N] [--out F]
                                            a verifier's request (a list of alternatives when a set has more than 16 values)`;

export const partyOptions = {
  'zk-dir': { type: 'string' }, nonce: { type: 'string' }, field: { type: 'string' }, operator: { type: 'string' },
  values: { type: 'string' }, 'verifier-id': { type: 'string' }, onchain: { type: 'boolean' }, 'gist-root': { type: 'string' },
} as const;

const PARTY_SUBCOMMANDS = new Set(['issuer', 'issue', 'revoke', 'wallet', 'fetch', 'prove', 'submit', 'rotate', 'ask']);

/** Runs a party subcommand, or returns undefined when `ctx.args` names none. */
export async function runParty(ctx: CliContext): Promise<unknown> {
  if (!PARTY_SUBCOMMANDS.has(ctx.args[0] ?? '')) return undefined;
  return (await import('./zk-parties-run.js')).runParty(ctx);
}
