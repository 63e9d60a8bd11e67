import type { Command } from 'commander';

export function registerValuationCommands(_program: Command): void {}
