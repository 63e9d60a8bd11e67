/** Every inclusion and consistency probe of transparency-dev/merkle testdata must be judged as the Go verifier does. */
import { describe, expect, it } from 'vitest';
import { isValidConsistencyProof, isValidInclusionProof } from '../src/index.ts';
import { fromBase64, listJsonFiles, readJson } from './vectors.ts';

interface InclusionProbe {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyProbe {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

const base = 'transparency-dev-merkle/testdata';
const inclusionFiles = listJsonFiles(`${base}/inclusion`);
const consistencyFiles = listJsonFiles(`${base}/consistency`);

describe('transparency-dev inclusion probes', () => {
  it('has all 98 files (6 accept, 92 reject)', () => {
    const probes = inclusionFiles.map((file) => readJson<InclusionProbe>(file));
    expect(probes).toHaveLength(98);
    expect(probes.filter((p) => !p.wantErr)).toHaveLength(6);
  });

  it.each(inclusionFiles)('%s', (file) => {
    const probe = readJson<InclusionProbe>(file);
    const ok = isValidInclusionProof(
      probe.leafIdx,
      probe.treeSize,
      fromBase64(probe.leafHash),
      (probe.proof ?? []).map(fromBase64),
      fromBase64(probe.root),
    );
    expect(ok).toBe(!probe.wantErr);
  });
});

describe('transparency-dev consistency probes', () => {
  it('has all 98 files (6 accept, 92 reject)', () => {
    const probes = consistencyFiles.map((file) => readJson<ConsistencyProbe>(file));
    expect(probes).toHaveLength(98);
    expect(probes.filter((p) => !p.wantErr)).toHaveLength(6);
  });

  it.each(consistencyFiles)('%s', (file) => {
    const probe = readJson<ConsistencyProbe>(file);
    const ok = isValidConsistencyProof(
      probe.size1,
      probe.size2,
      (probe.proof ?? []).map(fromBase64),
      fromBase64(probe.root1),
      fromBase64(probe.root2),
    );
    expect(ok).toBe(!probe.wantErr);
  });
});
