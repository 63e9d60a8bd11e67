// The joined-transaction helper now lives with the other transaction helpers.
export { inOneTransaction } from '../../db/transaction.ts';
