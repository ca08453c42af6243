/**
 * Country names as lists write them ("Korea, North", "Iran (Islamic Republic of)", "Türkiye", "Burma") to ISO 3166-1
 * alpha-2. i18n-iso-countries knows the common English names; the table below adds the official UN forms and OFAC's
 * inverted ones it does not.
 */
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

countries.registerLocale(en);

const EXTRA: Record<string, string> = {
  'korea north': 'KP', 'north korea': 'KP', 'democratic peoples republic of korea': 'KP', 'dprk': 'KP',
  'korea south': 'KR', 'south korea': 'KR', 'republic of korea': 'KR',
  'syria': 'SY', 'burma': 'MM', 'iran islamic republic of': 'IR', 'turkiye': 'TR', 'turkey': 'TR',
  'state of palestine': 'PS', 'palestinian': 'PS', 'palestine': 'PS', 'west bank': 'PS', 'gaza': 'PS',
  'viet nam': 'VN', 'vietnam': 'VN', 'united republic of tanzania': 'TZ', 'tanzania': 'TZ',
  'china hong kong special administrative region': 'HK', 'hong kong': 'HK', 'macau': 'MO', 'macao': 'MO',
  'british virgin islands': 'VG', 'virgin islands british': 'VG', 'russia': 'RU', 'russian federation': 'RU',
  'united kingdom of great britain and northern ireland': 'GB', 'united kingdom': 'GB', 'uk': 'GB',
  'united states of america': 'US', 'united states': 'US', 'usa': 'US',
  'democratic republic of the congo': 'CD', 'congo democratic republic of the': 'CD', 'drc': 'CD',
  'republic of the congo': 'CG', 'congo republic of the': 'CG', 'bolivia plurinational state of': 'BO',
  'venezuela bolivarian republic of': 'VE', 'bolivarian republic of venezuela': 'VE', 'laos': 'LA',
  'lao peoples democratic republic': 'LA', 'moldova republic of': 'MD', 'republic of moldova': 'MD',
  'cote divoire': 'CI', 'ivory coast': 'CI', 'kosovo': 'XK', 'czech republic': 'CZ', 'czechia': 'CZ',
  'the gambia': 'GM', 'gambia the': 'GM', 'bahamas the': 'BS', 'micronesia federated states of': 'FM',
  'north macedonia': 'MK', 'macedonia': 'MK', 'the former yugoslav republic of macedonia': 'MK',
  'eswatini': 'SZ', 'swaziland': 'SZ', 'cabo verde': 'CV', 'cape verde': 'CV', 'holy see': 'VA',
  'taiwan': 'TW', 'region: crimea': 'UA', 'crimea': 'UA', 'netherlands antilles': 'CW', 'curacao': 'CW',
};

const key = (name: string) =>
  name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/['’]/g, '').replace(/[().,]/g, ' ').replace(/[^a-z: ]/g, ' ').replace(/\s+/g, ' ').trim();

const cache = new Map<string, string | undefined>();

/** ISO alpha-2 for a country name or code as lists write it; undefined when unknown. */
export function countryCode(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const raw = name.trim();
  if (cache.has(raw)) return cache.get(raw);
  let code: string | undefined;
  if (/^[A-Z]{2}$/.test(raw) && countries.isValid(raw)) code = raw;
  else if (/^[A-Z]{3}$/.test(raw) && countries.isValid(raw)) code = countries.alpha3ToAlpha2(raw);
  else {
    const k = key(raw);
    code = (Object.hasOwn(EXTRA, k) ? EXTRA[k] : undefined) ?? countries.getAlpha2Code(raw, 'en') ?? countries.getAlpha2Code(k, 'en');
    // "Iran (Islamic Republic of)" and the like: the part before the parenthesis often names it alone.
    if (!code && raw.includes('(')) code = countryCode(raw.slice(0, raw.indexOf('(')));
  }
  cache.set(raw, code);
  return code;
}

/** The distinct codes of the names that resolve, in order. */
export function countryCodes(names: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    const c = countryCode(n);
    if (c && !out.includes(c)) out.push(c);
  }
  return out;
}
