// The emulator's public entry point: start one in-process, seed an account, and read or steer it from tests.
export { startStripeEmulator, type EmulatorOptions, type RunningEmulator } from './emulator-server';
export type { EmulatorCore, RequestLogEntry } from './emulator-core';
export type { ModeStats } from './stats';
export { ChaosRule, CHAOS_KINDS, type DeliveryLogEntry } from './webhooks/delivery';
export { FAULT_KINDS, FaultRule, type FaultKind } from './faults';
export { STRIPE_RATE_LIMITS, RateLimitInput, type AccountRateCounters, type RateLimitSetting } from './rate-limit';
export { seedTestAccount, type SeededAccount } from './seed-test-account';
export { emulatorClient } from './sdk-client';
