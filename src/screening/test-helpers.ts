// Test helpers: fixture files and the shared real lists (tests that need those skip when they are absent).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ListFile } from './importers/index.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const fixture = (path: string): ListFile => ({ name: path.split('/').pop()!, data: readFileSync(join(FIXTURES, path)) });

/** The shared snapshot of official lists (see /work/shared/lists/README.md); `MASQUE_LISTS` overrides. */
export const LISTS_DIR = process.env.MASQUE_LISTS ?? join(import.meta.dirname, '../../../shared/lists');
const ABSOLUTE_FALLBACK = '/work/shared/lists';
export const listsDir = (): string | undefined => [LISTS_DIR, ABSOLUTE_FALLBACK].find((d) => existsSync(join(d, 'sdn.csv')));
export const realFile = (dir: string, path: string): ListFile => ({ name: path.split('/').pop()!, data: readFileSync(join(dir, path)) });
/** The reason a real-file test is skipped, or false when the lists are there. */
export const skipWithoutLists = (): string | false => (listsDir() ? false : 'the shared list snapshot (../shared/lists) is not present');
