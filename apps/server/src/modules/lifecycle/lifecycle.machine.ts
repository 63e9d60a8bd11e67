/**
 * The state machine: decides whether an event may happen to a subject in its current state, and
 * what state follows. Pure: everything it needs arrives in the arguments.
 */
import { conflict, fieldErrorsFromZod, invalid } from '../../shared/errors.ts';
import {
  allowedEventTypes,
  definitionOf,
  type EventTypeDefinition,
  fromStatesFor,
  INITIAL,
  isAssetKind,
  isTerminal,
  statesOf,
} from './lifecycle.catalogue.ts';
import type { EventPayloads, EventType, elvMissingItems } from './lifecycle.payloads.ts';
import { type AssetKind, assetKinds, batteryKindOfCode } from './lifecycle.schemas.ts';

/** A finding that does not block the event but must be recorded and shown (e.g. odometer fraud). */
export interface TransitionFlag {
  code: string;
  message: string;
}

/** What the pure rules need to know beyond the subject's state; the ledger keeps it in its projection. */
export interface TransitionContext {
  /** Highest trusted odometer reading of the vehicle so far (km). */
  lastOdometerKm?: number;
  /** The subject's id, when known: payload fields that restate it are checked against it. */
  subjectId?: string;
  /** From the part's `part.harvested` event: one of the five major assemblies (Order 715 Art. 10). */
  fiveAssembly?: boolean;
}

export interface TransitionRequest {
  kind: AssetKind;
  /** Current state of the subject, or `null` if it does not exist yet. */
  state: string | null;
  type: string;
  payload: unknown;
  context?: TransitionContext;
}

export interface TransitionResult {
  toState: string;
  flags: TransitionFlag[];
  /** The payload as parsed by its schema. */
  payload: unknown;
}

/** Validate a payload against its event type's schema; field errors are prefixed `payload.`. */
export function parseEventPayload<T extends EventType>(type: T, payload: unknown): EventPayloads[T];
export function parseEventPayload(type: string, payload: unknown): unknown;
export function parseEventPayload(type: string, payload: unknown): unknown {
  const definition = requireDefinition(type);
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) {
    throw invalid(
      'invalid_payload',
      `payload of ${type} is invalid`,
      fieldErrorsFromZod(parsed.error.issues, 'payload'),
    );
  }
  return parsed.data;
}

/**
 * Apply one event to a subject. Throws `invalid` for an unknown type, a subject kind the event
 * does not apply to, or a bad payload; `conflict('illegal_transition')` when the current state
 * does not allow the event. Returns the next state and any flags.
 */
export function applyTransition(request: TransitionRequest): TransitionResult {
  const { kind, state, type } = request;
  const context = request.context ?? {};
  const definition = requireDefinition(type);
  requireSubjectKind(definition, kind);
  const payload = parseEventPayload(type, request.payload);
  requireAllowedFrom(definition, kind, state);
  checkKindRules(definition.type, kind, payload, context);
  return {
    toState: definition.toState ?? (state as string),
    flags: flagsOf(definition.type, payload, context),
    payload,
  };
}

/** The odometer reading an event carries, if any (vehicle events only). */
export function odometerOf(type: string, payload: unknown): number | undefined {
  if (!type.startsWith('vehicle.') || typeof payload !== 'object' || payload === null) return undefined;
  const reading = (payload as { odometerKm?: unknown }).odometerKm;
  return typeof reading === 'number' && Number.isFinite(reading) ? reading : undefined;
}

// ---------------------------------------------------------------- checks

function requireDefinition(type: string): EventTypeDefinition {
  const definition = definitionOf(type);
  if (definition === undefined) {
    throw invalid('unknown_event_type', `unknown event type '${type}'`, [
      { field: 'type', message: `'${type}' is not in the event catalogue (see \`carloop ledger types\`)` },
    ]);
  }
  return definition;
}

function requireSubjectKind(definition: EventTypeDefinition, kind: AssetKind): void {
  if (!isAssetKind(kind)) {
    throw invalid('unknown_asset_kind', `unknown asset kind '${kind}'`, [
      { field: 'kind', message: `must be one of ${assetKinds.join(', ')}` },
    ]);
  }
  if (!definition.subjectKinds.includes(kind)) {
    const message = `${definition.type} applies to ${definition.subjectKinds.join(', ')}, not to a ${kind}`;
    throw invalid('subject_kind_mismatch', message, [{ field: 'type', message }]);
  }
}

function requireAllowedFrom(definition: EventTypeDefinition, kind: AssetKind, state: string | null): void {
  const from = fromStatesFor(definition, kind);
  if (state === null && from === INITIAL) return;
  if (state !== null && from !== INITIAL && from.includes(state)) return;
  const message = illegalTransitionMessage(definition, kind, state, from);
  throw conflict('illegal_transition', message, [{ field: 'type', message }]);
}

function illegalTransitionMessage(
  definition: EventTypeDefinition,
  kind: AssetKind,
  state: string | null,
  from: readonly string[] | typeof INITIAL,
): string {
  const { type } = definition;
  if (state === null) {
    const starts = allowedEventTypes(kind, null).join(', ');
    return `${type} is not allowed for a ${kind} that does not exist yet; its first event must be one of: ${starts}`;
  }
  if (from === INITIAL)
    return `${type} creates a new ${kind}; this ${kind} already exists in state '${state}'`;
  const base = `${type} is not allowed for a ${kind} in state '${state}'; allowed from: ${from.join(', ')}`;
  if (isTerminal(kind, state)) return `${base} ('${state}' is a terminal state: it accepts no events)`;
  if (!statesOf(kind).includes(state)) return `${base} ('${state}' is not a state of a ${kind})`;
  return base;
}

// Which host each battery kind sits in (cell-to-pack designs put cells straight into the pack).
const batteryHosts: Partial<Record<AssetKind, readonly AssetKind[]>> = {
  'battery-pack': ['vehicle'],
  'battery-module': ['battery-pack'],
  'battery-cell': ['battery-module', 'battery-pack'],
};
const batteryComponents: Partial<Record<AssetKind, readonly AssetKind[]>> = {
  'battery-pack': ['battery-module', 'battery-cell'],
  'battery-module': ['battery-cell'],
  'battery-cell': [],
};

/** Rules that depend on the subject's kind or identity rather than on the payload alone. */
function checkKindRules(
  type: EventType,
  kind: AssetKind,
  payload: unknown,
  context: TransitionContext,
): void {
  switch (type) {
    case 'battery.installed':
    case 'battery.removed': {
      const { host } = payload as EventPayloads['battery.installed'];
      if (!batteryHosts[kind]?.includes(host.kind)) {
        const allowed = batteryHosts[kind]?.join(' or ') ?? 'nothing';
        throw invalid('invalid_host', `a ${kind} sits in a ${allowed}, not in a ${host.kind}`, [
          { field: 'payload.host.kind', message: `must be ${allowed} for a ${kind}` },
        ]);
      }
      return;
    }
    case 'battery.produced':
    case 'battery.disassembled':
      checkComponents(kind, (payload as { componentCodes?: string[] }).componentCodes ?? []);
      return;
    case 'battery.repurposed': {
      const { originalCode } = payload as EventPayloads['battery.repurposed'];
      if (context.subjectId !== undefined && originalCode !== context.subjectId) {
        throw invalid(
          'payload_subject_mismatch',
          `originalCode ${originalCode} is not the subject ${context.subjectId}`,
          [{ field: 'payload.originalCode', message: 'must be the code of the battery being repurposed' }],
        );
      }
      return;
    }
    case 'part.sold': {
      // Order 715 Art. 12: five major assemblies may only go to remanufacturing or as scrap metal.
      const { destination } = payload as EventPayloads['part.sold'];
      if (context.fiveAssembly === true && destination === 'reuse') {
        throw conflict(
          'five_assembly_reuse_forbidden',
          'a five-major-assembly part may not be sold for reuse',
          [
            {
              field: 'payload.destination',
              message: 'must be remanufacturing or scrap_metal (Order 715 Art. 12)',
            },
          ],
        );
      }
      return;
    }
    default:
      return;
  }
}

function checkComponents(kind: AssetKind, codes: readonly string[]): void {
  const allowed = batteryComponents[kind] ?? [];
  const errors = codes.flatMap((code, i) => {
    const componentKind = batteryKindOfCode(code);
    return componentKind !== null && allowed.includes(componentKind)
      ? []
      : [
          {
            field: `payload.componentCodes.${i}`,
            message: `a ${kind} cannot contain a ${componentKind ?? 'non-battery'}`,
          },
        ];
  });
  if (errors.length > 0) throw invalid('invalid_components', `components do not fit in a ${kind}`, errors);
}

// ---------------------------------------------------------------- flags

function flagsOf(type: EventType, payload: unknown, context: TransitionContext): TransitionFlag[] {
  const flags: TransitionFlag[] = [];
  const reading = odometerOf(type, payload);
  if (reading !== undefined && context.lastOdometerKm !== undefined && reading < context.lastOdometerKm) {
    // Accepted, because the reading is a fact as reported; flagged, because GB/T 30323 appraisal and
    // fair-wear-and-tear hand-back rules both treat odometer tampering as a defect to disclose.
    flags.push({
      code: 'odometer_rollback_suspected',
      message: `odometer fell from ${context.lastOdometerKm} km to ${reading} km`,
    });
  }
  if (type === 'vehicle.elv_received')
    flags.push(...elvCompletenessFlags(payload as EventPayloads[typeof type]));
  return flags;
}

// 实施细则 (2020) Art. 20: without frame (or body) or engine the vehicle counts as missing and no
// certificate may be issued; 2026 battery rules Art. 21: the same for an NEV without its battery.
const barringItems: ReadonlyArray<(typeof elvMissingItems)[number]> = ['frame', 'engine', 'traction_battery'];

function elvCompletenessFlags(payload: EventPayloads['vehicle.elv_received']): TransitionFlag[] {
  const missing = payload.missingItems ?? [];
  const barring = missing.filter((item) => barringItems.includes(item));
  if (barring.length > 0) {
    return [
      {
        code: 'elv_counts_as_missing',
        message: `received without ${barring.join(', ')}: counts as a missing vehicle, no recycling certificate may be issued`,
      },
    ];
  }
  if (missing.length > 0) {
    return [
      {
        code: 'elv_incomplete',
        message: `received without ${missing.join(', ')}: the owner must explain in writing`,
      },
    ];
  }
  return [];
}
