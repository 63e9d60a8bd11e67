/** simulator — a seeded world driven through the real services (`carloop simulate`, `carloop start`). */
export { runSimulation, type SimulationOptions, type SimulationResult } from './simulate.ts';
export { type WorldConfig, worldConfig } from './world.config.ts';
