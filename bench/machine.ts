/** What the numbers were measured on, recorded beside them. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  disk: string;
  os: string;
  node: string;
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** The block device under `path`, its size and whether it spins (lsblk), as one line. */
function diskOf(path: string): string {
  const source = run('df', ['--output=source', path]).split('\n')[1]?.trim() ?? '';
  const device = source.replace(/^\/dev\//, '');
  const info = device ? run('lsblk', ['-dno', 'NAME,SIZE,ROTA,MODEL', `/dev/${device}`]) : '';
  const [name, size, rota, ...model] = info.split(/\s+/);
  if (!name) return source || 'unknown';
  const kind = rota === '0' ? 'non-rotational' : 'rotational';
  return `${name} ${size} ${kind}${model.length > 0 ? ` ${model.join(' ')}` : ''}`;
}

export function machineInfo(dataPath: string): MachineInfo {
  const lscpu = run('lscpu', []);
  const model = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model.trim(),
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    disk: diskOf(dataPath),
    os: run('uname', ['-sr']),
    node: process.version,
  };
}
