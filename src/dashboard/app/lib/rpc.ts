// The screens' way to the node: the SDK's typed client over the page's own origin (the node serves the page next to
// its JSON-RPC endpoint). Screens import it; the shell does not (it stays small: ./errors.ts).
import { MasqueClient } from '../../../sdk/client.js';

export const client = new MasqueClient(`${location.origin}/`);
export { describeError, type Problem } from './errors.js';
