// Transliteration folding, shared by the normaliser (fuzzy legal forms) and the token similarity.
/**
 * Spellings that transliteration systems disagree on, folded to one: Russian registers write Jose as Dzhose and
 * Hassan as Khasan, German ones Gorbachev as Gorbatschow, English ones Yusuf as Youssef.
 */
const cache = new Map<string, string>();

export function fold(token: string): string {
  const hit = cache.get(token);
  if (hit !== undefined) return hit;
  const folded = token
    .replace(/shch/g, 'sh').replace(/t?sch/g, 'sh').replace(/tch/g, 'ch').replace(/dzh|dj/g, 'j').replace(/zh/g, 'j')
    .replace(/kh/g, 'h').replace(/gh/g, 'g').replace(/ph/g, 'f').replace(/th/g, 't').replace(/ck/g, 'k').replace(/q/g, 'k')
    .replace(/c(?=[eiy])/g, 's').replace(/c/g, 'k').replace(/x/g, 'ks').replace(/w/g, 'v').replace(/ou|oo/g, 'u')
    .replace(/ee|ie|iy|ij|yi|y/g, 'i').replace(/ow$/g, 'ov').replace(/(.)\1+/g, '$1');
  if (cache.size > 500_000) cache.clear();
  cache.set(token, folded);
  return folded;
}
