import type { Command } from 'commander';

export function registerRemarketingCommands(_program: Command): void {}
