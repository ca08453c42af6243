/** Node-only: where the committed circuit artifacts live (circuits/build/), loaded from disk. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProverArtifacts, VerificationKey } from './types.js';

export type CircuitName = 'credentialQuery' | 'holderAuth' | 'stateTransition';

/** circuits/build, or $MASQUE_ZK_BUILD_DIR (a freshly built set elsewhere). */
export const CIRCUITS_BUILD_DIR = process.env.MASQUE_ZK_BUILD_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'circuits', 'build');

export function artifactPaths(name: CircuitName, buildDir = CIRCUITS_BUILD_DIR): ProverArtifacts & { vkey: string } {
  const dir = join(buildDir, name);
  return { wasm: join(dir, `${name}.wasm`), zkey: join(dir, `${name}.zkey`), vkey: join(dir, `${name}.vkey.json`) };
}

export function loadVerificationKey(name: CircuitName, buildDir = CIRCUITS_BUILD_DIR): VerificationKey {
  return JSON.parse(readFileSync(artifactPaths(name, buildDir).vkey, 'utf8')) as VerificationKey;
}
