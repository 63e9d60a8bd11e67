/**
 * The life of a buyback contract. `active` until the exercise window opens; in the window the
 * customer hands the car back (`exercised`) or keeps it (`declined`); a window that closes without
 * either makes it `expired`; a contract voided before the end (accident exclusion, sale reversed)
 * is `cancelled`. The window is a matter of time, so `window_open` (and an `expired` not yet swept)
 * is derived from the stored status and the clock; the four terminal states are stored.
 */
import { conflict } from '../../shared/errors.ts';

export const contractStates = [
  'active',
  'window_open',
  'exercised',
  'declined',
  'expired',
  'cancelled',
] as const;
export type ContractState = (typeof contractStates)[number];
export const storedStatuses = ['active', 'exercised', 'declined', 'expired', 'cancelled'] as const;
export type StoredStatus = (typeof storedStatuses)[number];
export const terminalContractStates: readonly ContractState[] = [
  'exercised',
  'declined',
  'expired',
  'cancelled',
];

export const contractActions = ['exercise', 'decline', 'expire', 'cancel'] as const;
export type ContractAction = (typeof contractActions)[number];

export interface ExerciseWindow {
  opensAt: string;
  closesAt: string;
}

/** The state a contract is in at `at`: stored terminal states win; otherwise the clock decides. */
export function contractStateAt(status: StoredStatus, window: ExerciseWindow, at: string): ContractState {
  if (status !== 'active') return status;
  if (at >= window.closesAt) return 'expired';
  if (at >= window.opensAt) return 'window_open';
  return 'active';
}

const transitions: Record<ContractAction, { from: readonly ContractState[]; to: StoredStatus }> = {
  exercise: { from: ['window_open'], to: 'exercised' },
  decline: { from: ['window_open'], to: 'declined' },
  // An expiry is recorded once the window has closed (the derived state is already `expired`).
  expire: { from: ['expired'], to: 'expired' },
  cancel: { from: ['active', 'window_open'], to: 'cancelled' },
};

/** Why an action is refused in a state, in words a customer-service agent can read out. */
function refusal(action: ContractAction, state: ContractState, window: ExerciseWindow): string {
  if (state === 'active' && (action === 'exercise' || action === 'decline'))
    return `the exercise window opens on ${window.opensAt.slice(0, 10)}; the contract is still active`;
  if (state === 'expired' && action === 'expire') return 'the expiry is already recorded';
  if (state === 'expired')
    return `the contract expired on ${window.closesAt.slice(0, 10)} (the exercise window closed unused)`;
  if (state === 'exercised') return 'the contract is already settled: the car was handed back';
  if (state === 'declined') return 'the contract is already settled: the customer kept the car';
  if (state === 'cancelled') return 'the contract was cancelled';
  if (action === 'expire' && state === 'window_open')
    return `the exercise window is open until ${window.closesAt.slice(0, 10)}`;
  if (action === 'expire') return `the exercise window has not opened yet (${window.opensAt.slice(0, 10)})`;
  return `${action} is not possible in state ${state}`;
}

/**
 * The stored status after `action`, or a conflict naming the reason. Pure: the caller supplies the
 * stored status, the window and the time.
 */
export function applyContractAction(
  status: StoredStatus,
  window: ExerciseWindow,
  at: string,
  action: ContractAction,
): { from: ContractState; to: StoredStatus } {
  const from = contractStateAt(status, window, at);
  const rule = transitions[action];
  if (
    !rule.from.includes(from) ||
    (action === 'expire' && status !== 'active') // already recorded
  ) {
    const code =
      from === 'expired'
        ? 'contract_expired'
        : terminalContractStates.includes(from)
          ? 'contract_closed'
          : 'contract_state';
    throw conflict(code, refusal(action, from, window), [
      { field: 'contract', message: refusal(action, from, window) },
    ]);
  }
  return { from, to: rule.to };
}
