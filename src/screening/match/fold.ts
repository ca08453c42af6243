// Transliteration folding, shared by the normaliser (fuzzy legal forms) and the token similarity.
import { memo } from './memo.js';

/**
 * Spellings that transliteration systems disagree on, folded to one: Russian registers write Jose as Dzhose and
 * Hassan as Khasan, German ones Gorbachev as Gorbatschow, English ones Yusuf as Youssef.
 */
export const fold = memo(500_000, (token: string): string =>
  token
    .replace(/shch/g, 'sh').replace(/t?sch/g, 'sh').replace(/tch/g, 'ch').replace(/dzh|dj/g, 'j').replace(/zh/g, 'j')
    .replace(/kh/g, 'h').replace(/gh/g, 'g').replace(/ph/g, 'f').replace(/th/g, 't').replace(/ck/g, 'k').replace(/q/g, 'k')
    .replace(/c(?=[eiy])/g, 's').replace(/c/g, 'k').replace(/x/g, 'ks').replace(/w/g, 'v').replace(/ou|oo/g, 'u')
    .replace(/ee|ie|iy|ij|yi|y/g, 'i').replace(/ow$/g, 'ov').replace(/(.)\1+/g, '$1'));
