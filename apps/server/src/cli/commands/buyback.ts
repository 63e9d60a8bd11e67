import type { Command } from 'commander';

export function registerBuybackCommands(_program: Command): void {}
