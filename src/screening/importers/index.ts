/** Every list format Masque imports, by source id. */
import { cslImporter } from './csl.js';
import { euFsfImporter, ukConsolidatedImporter } from './eu-uk.js';
import type { ListImporter } from './importer.js';
import { ofacSdnImporter } from './ofac.js';
import { pepJsonlImporter, usCongressImporter, type CongressOptions } from './pep.js';
import { unConsolidatedImporter } from './un.js';

export { importList, type ImportOptions, type ListFile, type ListImporter, type FileRole, type ParsedList } from './importer.js';
export { parseRemarks, parseOfacDate, parseIdentifierItem } from './ofac-remarks.js';
export { congressToPep, toPepJsonl, type PepRecord, type CongressOptions } from './pep.js';
export { ofacSdnImporter, unConsolidatedImporter, cslImporter, euFsfImporter, ukConsolidatedImporter, pepJsonlImporter, usCongressImporter };

/** The importers by source id; `us-congress-pep` judges PEP status on `options.asOf` (default today). */
export function importerFor(source: string, options: CongressOptions = {}): ListImporter {
  const all: Record<string, ListImporter> = {
    'ofac-sdn': ofacSdnImporter,
    'un-sc': unConsolidatedImporter,
    'us-csl': cslImporter,
    'eu-fsf': euFsfImporter,
    'uk-sanctions': ukConsolidatedImporter,
    'masque-pep': pepJsonlImporter,
    'us-congress-pep': usCongressImporter(options),
  };
  const importer = all[source];
  if (!importer) throw new Error(`unknown list source "${source}"; known: ${Object.keys(all).join(', ')}`);
  return importer;
}

export const SOURCES = ['ofac-sdn', 'un-sc', 'us-csl', 'eu-fsf', 'uk-sanctions', 'masque-pep', 'us-congress-pep'] as const;
