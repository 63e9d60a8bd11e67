import type { Command } from 'commander';

export function registerBatteriesCommands(_program: Command): void {}
