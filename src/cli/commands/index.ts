// Every top-level command of `masque`, in the order `--help` lists them. A new group: a file in this folder exporting
// a `Command`, and one entry here.
import type { Command } from '../command.js';
import { keys } from './keys.js';
import { chain, did, info, rpc } from './node.js';
import { identity } from './identity.js';
import { kyc } from './kyc.js';
import { issuer, registry } from './issuer.js';
import { claim } from './claim.js';
import { delegate, fetch, grant, revokeAccess } from './access.js';
import { documents } from './documents.js';
import { delegation } from './delegation.js';
import { zk } from './zk.js';
import { screening } from './screening.js';
import { risk } from './risk.js';
import { compliance } from './compliance.js';
import { token } from './token.js';

export const COMMANDS: readonly Command[] = [keys, info, identity, kyc, issuer, registry, claim, documents, grant, delegate, fetch, revokeAccess, delegation, token, zk, screening, compliance, risk, did, chain, rpc];
