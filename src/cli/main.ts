// `masque`: the onboarding story from a terminal, over the typed SDK. Keys live in an encrypted keystore; the
// node never sees them. Every command prints one JSON document. The commands live in commands/, one file per group.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { CliContext, type OptionValues } from './context.js';

const COMMON_OPTIONS: NonNullable<ParseArgsConfig['options']> = { node: { type: 'string' }, as: { type: 'string' }, help: { type: 'boolean', short: 'h' } };

export const USAGE = `masque <command> [options]   (node: --node URL | $MASQUE_NODE_URL, default http://127.0.0.1:8546)

${COMMANDS.map((c) => c.usage).join('\n')}
Passphrase: $MASQUE_PASSPHRASE, else asked on the terminal. Keystore: $MASQUE_KEYSTORE or ~/.masque/keys.`;

/** The union of every command's options; two commands declaring one name must declare it alike. */
function allOptions(): NonNullable<ParseArgsConfig['options']> {
  const all = { ...COMMON_OPTIONS };
  for (const c of COMMANDS) {
    for (const [name, decl] of Object.entries(c.options ?? {})) {
      const prior = all[name];
      if (prior && (prior.type !== decl.type || prior.short !== decl.short)) throw new Error(`option --${name}: ${c.name} declares it unlike another command`);
      all[name] = decl;
    }
  }
  return all;
}

/**
 * A negative number (`-5`, `--amount -1.5`) is a value, never an option (no option is a digit): parseArgs would refuse
 * it as an unknown option, so it is masked through parsing and handed to the command, whose check names the field.
 */
const NEGATIVE = /^-\d/;
const MASK = '\u0000';
const unmask = <T>(v: T): T => (typeof v === 'string' && v.startsWith(MASK) ? v.slice(1) : Array.isArray(v) ? v.map(unmask) : v) as T;

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ command?: Command; out: unknown }> {
  const parsed = parseArgs({ args: argv.map((a) => (NEGATIVE.test(a) ? MASK + a : a)), allowPositionals: true, options: allOptions() });
  const positionals = parsed.positionals.map(unmask);
  const values = Object.fromEntries(Object.entries(parsed.values).map(([k, v]) => [k, unmask(v)]));
  const [name, ...args] = positionals;
  if (!name || values.help) return { out: USAGE };
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new Error(`unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
  return { command, out: await command.run(new CliContext(values as OptionValues, args, env)) };
}

/** Runs one command and returns what it prints (a JSON-able value); throws on failure. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  return (await run(argv, env)).out;
}

export async function main(argv: string[]): Promise<void> {
  try {
    const { command, out } = await run(argv, process.env);
    // A refused proof is an answer, not a failure of the command: printed, with its own exit status for scripts.
    if (command?.isNo?.(out)) process.exitCode = 2;
    console.log(typeof out === 'string' ? out : JSON.stringify(out, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2));
  } catch (e) {
    const err = e as Error & { code?: number; data?: unknown };
    console.error(JSON.stringify({ error: err.message, ...(err.code !== undefined ? { code: err.code, data: err.data } : {}) }));
    process.exitCode = 1;
  }
}
