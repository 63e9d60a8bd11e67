#!/usr/bin/env node
// The `carloop` command. TypeScript sources run through tsx's loader, so no build step stands
// between a fresh `npm install` and a working CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
