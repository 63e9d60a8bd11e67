import type { Command } from 'commander';

export function registerDismantlingCommands(_program: Command): void {}
