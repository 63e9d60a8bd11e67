// The shapes of the Carloop API responses the console reads (see GET /openapi.json).

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface Asset {
  id: string;
  kind: string;
  state: string;
  createdAt: string;
  updatedAt: string;
  [field: string]: unknown;
}

export interface AssetDetail extends Asset {
  parent: { id: string; since: string } | null;
  children: { id: string; since: string }[];
}

export interface ContentsNode {
  id: string;
  kind?: string;
  since?: string;
  children: ContentsNode[];
}

export interface ContentsView extends ContentsNode {
  at: string;
}

export interface LocationView {
  id: string;
  at: string;
  within: { id: string; kind: string; since: string; until: string | null }[];
}

export interface Party {
  id: string;
  name: string;
  createdAt: string;
  roles: string[];
}

export interface CheckpointView {
  origin: string;
  size: number;
  rootHash: string;
  note: string;
  vkey: string;
}

export interface Flag {
  eventId?: string;
  code: string;
  message: string;
}

export interface HistoryEvent {
  seq: number;
  id: string;
  type: string;
  subjectSeq: number;
  occurredAt: string;
  recordedAt: string;
  submitter: { party: string; keyId: string };
  payloadStatus: 'disclosed' | 'redacted' | 'withheld' | string;
  payload?: unknown;
  flags: Flag[];
}

export interface SubjectHistory {
  subject: { kind: string; id: string };
  flags: Flag[];
  events: HistoryEvent[];
}

export interface InclusionProofView {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  entry: string;
  proof: string[];
  rootHash: string;
  checkpoint: string;
}

export interface ConsistencyProofView {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[];
}

export interface CatalogueRow {
  type: string;
  subjectKind: string;
  fromStates: string[] | string;
  toState: string | null;
}

export interface AuditReport {
  ok: boolean;
  size: number;
  entriesChecked: number;
  checkpointsChecked: number;
  rootHash: string;
  firstDivergentEntry: number | null;
  problems: unknown[];
}
