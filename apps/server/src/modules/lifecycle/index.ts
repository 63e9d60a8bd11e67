/**
 * lifecycle — the event catalogue (one zod schema per event type) and the state machine of each
 * asset kind. Pure: no I/O. The ledger calls `applyTransition` on every append.
 */
export {
  allowedEventTypes,
  type CatalogueRow,
  catalogueJson,
  definitionOf,
  type EventTypeDefinition,
  eventCatalogue,
  INITIAL,
  type Initial,
  initialStates,
  isAssetKind,
  isTerminal,
  statesOf,
  terminalStates,
} from './lifecycle.catalogue.ts';
export {
  type ExampleHistory,
  exampleHistories,
  exampleIds,
  examplePayloadFor,
  examplePayloads,
} from './lifecycle.examples.ts';
export { type LifecycleLink, linksOf } from './lifecycle.links.ts';
export {
  applyTransition,
  odometerOf,
  parseEventPayload,
  type TransitionContext,
  type TransitionFlag,
  type TransitionRequest,
  type TransitionResult,
} from './lifecycle.machine.ts';
export {
  batterySafetyFindings,
  conditionGradeOfScore,
  drainedFluids,
  type EventPayloads,
  type EventType,
  eventTypes,
  fiveAssemblies,
  isEventType,
  partCategories,
  payloadSchemas,
  refrigerantTypes,
} from './lifecycle.payloads.ts';
export {
  type AssetKind,
  type AssetRef,
  assetKinds,
  type BatteryKind,
  batteryKindOfCode,
  batteryKinds,
  type Money,
} from './lifecycle.schemas.ts';
