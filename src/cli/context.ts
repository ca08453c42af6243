// What every command gets: the parsed options and positionals, the node client, the keystore, and the small
// look-ups several commands share (unlock a key, resolve an issuer name, a wallet's identity).
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Address } from 'viem';
import { MasqueClient } from '../sdk/index.js';
import { Keystore, type UnlockedKey } from '../wallet/keystore.js';

export type OptionValues = Record<string, string | string[] | boolean | undefined>;

export class CliContext {
  readonly client: MasqueClient;
  readonly keystore: Keystore;

  constructor(
    /** Parsed `--options` of every command (parseArgs over the union of their declarations). */
    private readonly options: OptionValues,
    /** Positionals after the command word: [subcommand, args...]. */
    readonly args: string[],
    readonly env: NodeJS.ProcessEnv,
  ) {
    this.client = new MasqueClient(this.opt('node') ?? env.MASQUE_NODE_URL ?? 'http://127.0.0.1:8546');
    this.keystore = new Keystore(env.MASQUE_KEYSTORE ?? undefined, undefined, env);
  }

  /** A string option, or undefined. */
  opt(name: string): string | undefined {
    const v = this.options[name];
    return typeof v === 'string' ? v : undefined;
  }

  /** A required string option. */
  need(name: string): string {
    const v = this.opt(name);
    if (!v) throw new Error(`--${name} is required`);
    return v;
  }

  /** Every value of an option declared `multiple` (none: empty). */
  list(name: string): string[] {
    const v = this.options[name];
    return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  }

  flag(name: string): boolean {
    return this.options[name] === true;
  }

  /** The positional at `i` (0 = the subcommand), required: `<name>` in the error. */
  arg(i: number, name: string): string {
    const v = this.args[i];
    if (!v) throw new Error(`<${name}> is required`);
    return v;
  }

  /** A JSON file named by the positional at `i`. */
  json(i: number, name: string): any {
    return JSON.parse(readFileSync(this.arg(i, name), 'utf8'));
  }

  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  async passphrase(): Promise<string> {
    if (this.env.MASQUE_PASSPHRASE) return this.env.MASQUE_PASSPHRASE;
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try { return await rl.question('passphrase: '); } finally { rl.close(); }
  }

  /** The key named by `--as`, unlocked with the passphrase. */
  async unlock(): Promise<UnlockedKey> {
    return this.keystore.unlock(this.need('as'), await this.passphrase());
  }

  /**
   * `--topics 1,3` as numbers (the node checks their range); `allowNone` accepts `--topics ""` for an empty list.
   * A part that is not an integer is refused here, naming the flag.
   */
  topics(opts: { allowNone?: boolean } = {}): number[] {
    const v = this.opt('topics');
    if (v === undefined || (v.trim() === '' && !opts.allowNone)) throw new Error('--topics is required (e.g. --topics 1,3)');
    if (v.trim() === '') return [];
    return v.split(',').map((t) => {
      if (!/^\s*\d+\s*$/.test(t)) throw new Error(`--topics: "${t}" is not a topic number (expected e.g. 1,3)`);
      return Number(t);
    });
  }

  /** An issuer by the name `node_info.issuers` knows it by, or by address (known to the node or not). */
  async issuer(v: string): Promise<{ address: string; name?: string; encryptionDid?: string | null; topics?: number[]; trustedTopics?: number[] }> {
    const issuers = (await this.client.rpc.node_info({})).issuers;
    if (v.startsWith('0x')) return Object.values(issuers).find((i) => i.address.toLowerCase() === v.toLowerCase()) ?? { address: v };
    const known = issuers[v];
    if (!known) throw new Error(`unknown issuer "${v}"; known: ${Object.keys(issuers).join(', ')}`);
    return known;
  }

  /** An issuer contract: an address, or the name `node_info.issuers` knows it by. */
  async issuerAddress(v: string): Promise<Address> {
    return v.startsWith('0x') ? (v as Address) : ((await this.issuer(v)).address as Address);
  }

  async identityOf(wallet: Address): Promise<Address> {
    return (await this.client.rpc.id_getIdentity({ wallet })).identity as Address;
  }
}
