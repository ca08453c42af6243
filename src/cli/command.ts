// One top-level word of `masque` (`kyc`, `zk`, ...): its usage lines, the options it reads, and what it runs.
// A command group lives in its own file under commands/ and is listed once in commands/index.ts.
import type { ParseArgsConfig } from 'node:util';
import type { CliContext } from './context.js';

export interface Command {
  name: string;
  /** Usage lines, as `masque --help` prints them. */
  usage: string;
  /** parseArgs declarations of the options it reads (merged with every other command's; a name must agree). */
  options?: NonNullable<ParseArgsConfig['options']>;
  /** Returns what the command prints (a JSON-able value). `ctx.args[0]` is the subcommand. */
  run(ctx: CliContext): Promise<unknown>;
  /** For answers that are a "no" (a refused proof): the binary exits with status 2 after printing them. */
  isNo?(out: unknown): boolean;
}

export const unknownSubcommand = (c: Command, ctx: CliContext) =>
  new Error(`unknown command: ${[c.name, ...ctx.args].join(' ')}\n\n${c.usage}`);
