// Every screen of the dashboard, by role. A screen is a folder under screens/ whose index.tsx default-exports a
// component; it loads on demand (its own chunk). Adding one = a folder + one line here. `waitingFor` lists the node
// methods a planned screen needs: the navigation shows it as coming, and its page says what it waits for.
import type { ComponentType } from 'preact';
import type { Route } from '../lib/router.js';

export type RoleId = 'kyc' | 'investor' | 'administrator' | 'verifier' | 'token' | 'node';
export const ROLES: { id: RoleId; title: string; blurb: string }[] = [
  { id: 'kyc', title: 'KYC provider', blurb: 'Review applications, decrypt documents in this browser, issue and revoke claims.' },
  { id: 'investor', title: 'Investor', blurb: 'Onboard, submit KYC documents encrypted in this page, manage claims and grants, prove with zero knowledge.' },
  { id: 'administrator', title: 'Fund administrator', blurb: "Receive investors' delegations, grant regulators their documents without ever seeing one, revoke." },
  { id: 'verifier', title: 'Regulator / verifier', blurb: 'Open documents granted to you, verify any identity, ask for proofs, keep an audit trail.' },
  { id: 'token', title: 'Token administrator', blurb: 'Deploy and run permissioned tokens: cap table, supply, freezes, recovery, compliance modules, alerts and the risk of holders.' },
  { id: 'node', title: 'Node', blurb: 'Chain, contracts, issuers and their topics, health.' },
];

export interface ScreenProps { route: Route }
export interface ScreenDef {
  path: string;
  role: RoleId;
  title: string;
  load?: () => Promise<{ default: ComponentType<ScreenProps> }>;
  /** A screen reached from another (one application, one case): not in the navigation. */
  detail?: boolean;
  waitingFor?: { issue: number; methods: string[]; what: string };
}

export const SCREENS: ScreenDef[] = [
  { path: '/kyc/queue', role: 'kyc', title: 'Application queue', load: () => import('./kyc-queue/index.js') },
  { path: '/kyc/application', role: 'kyc', title: 'Application', detail: true, load: () => import('./kyc-application/index.js') },
  { path: '/kyc/cases', role: 'kyc', title: 'Screening cases', load: () => import('./kyc-cases/index.js') },
  { path: '/kyc/case', role: 'kyc', title: 'Screening case', detail: true, load: () => import('./kyc-case/index.js') },
  { path: '/kyc/claims', role: 'kyc', title: 'Claims issued', load: () => import('./kyc-claims/index.js') },
  { path: '/investor/onboarding', role: 'investor', title: 'Onboarding', load: () => import('./investor-onboarding/index.js') },
  { path: '/investor/claims', role: 'investor', title: 'My claims', load: () => import('./investor-claims/index.js') },
  { path: '/investor/documents', role: 'investor', title: 'Documents & grants', load: () => import('./investor-documents/index.js') },
  { path: '/investor/keys', role: 'investor', title: 'Encryption keys', load: () => import('./investor-keys/index.js') },
  { path: '/investor/proofs', role: 'investor', title: 'Zero-knowledge proofs', load: () => import('./investor-proofs/index.js') },
  { path: '/investor/zk-keys', role: 'investor', title: 'Zero-knowledge keys', load: () => import('./investor-zk-keys/index.js') },
  { path: '/investor/tokens', role: 'investor', title: 'My tokens', load: () => import('./investor-tokens/index.js') },
  { path: '/investor/delegation', role: 'investor', title: 'Fund administrator', load: () => import('./investor-delegation/index.js') },
  { path: '/administrator/delegations', role: 'administrator', title: 'Delegations received', load: () => import('./administrator-delegations/index.js') },
  { path: '/administrator/grants', role: 'administrator', title: 'Regulator grants', load: () => import('./administrator-grants/index.js') },
  { path: '/verifier/documents', role: 'verifier', title: 'Granted documents', load: () => import('./verifier-documents/index.js') },
  { path: '/verifier/identity', role: 'verifier', title: 'Verify an identity', load: () => import('./verifier-identity/index.js') },
  { path: '/verifier/proofs', role: 'verifier', title: 'Zero-knowledge requests', load: () => import('./verifier-proofs/index.js') },
  { path: '/verifier/audit', role: 'verifier', title: 'Audit trail', load: () => import('./verifier-audit/index.js') },
  { path: '/token/admin', role: 'token', title: 'Token administration', load: () => import('./token-admin/index.js') },
  { path: '/token/deploy', role: 'token', title: 'Deploy a token', load: () => import('./token-deploy/index.js') },
  { path: '/token/risk', role: 'token', title: 'Risk of holders', load: () => import('./risk/index.js') },
  { path: '/node', role: 'node', title: 'Node', load: () => import('./node/index.js') },
  { path: '/keys', role: 'node', title: 'Keys in this browser', load: () => import('./keys/index.js') },
];
