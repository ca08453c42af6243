import { openDb, type Db } from './sqlite.js';
import { MetaRepo, metaMigration } from './meta.js';
import { IdentitiesRepo, identitiesMigration } from './identities.js';
import { DocumentsRepo, documentsMigration } from './documents.js';
import { KycRepo, kycMigration } from './kyc.js';
import { GrantsRepo, grantsMigration, grantRevocationsMigration } from './grants.js';
import { UcanRepo, ucanMigration } from './ucan.js';
import { ZkRepo, zkMigration } from './zk.js';

export interface Repos {
  db: Db;
  meta: MetaRepo;
  identities: IdentitiesRepo;
  documents: DocumentsRepo;
  kyc: KycRepo;
  grants: GrantsRepo;
  ucan: UcanRepo;
  zk: ZkRepo;
  close(): void;
}

export function openRepos(path: string): Repos {
  const db = openDb(path, [metaMigration, identitiesMigration, documentsMigration, kycMigration, grantsMigration, ucanMigration, zkMigration, grantRevocationsMigration]);
  return {
    db,
    meta: new MetaRepo(db),
    identities: new IdentitiesRepo(db),
    documents: new DocumentsRepo(db),
    kyc: new KycRepo(db),
    grants: new GrantsRepo(db),
    ucan: new UcanRepo(db),
    zk: new ZkRepo(db),
    close: () => db.close(),
  };
}
export type { KycStatus, KycApplicationRow, KycEventRow } from './kyc.js';
export type { GrantRow } from './grants.js';
