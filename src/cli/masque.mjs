#!/usr/bin/env node
// Launcher for the TypeScript CLI: registers tsx (resolved next to this file, not from the caller's cwd).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
await main(process.argv.slice(2));
