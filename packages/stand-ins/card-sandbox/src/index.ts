// @cardgate/card-sandbox: a local Lithic-style card provider for development and tests (API.md is its contract).
export {
  createCardSandbox,
  startCardSandbox,
  type CardSandbox,
  type CardSandboxOptions,
  type RunningCardSandbox,
  type StartCardSandboxOptions,
} from './sandbox.ts';
export type { SandboxFaults, FaultsPatch } from './faults.ts';
export type { SandboxSummary } from './app.ts';
export type { ReleaseOrder, WebhookStats } from './webhook-sender.ts';
export type {
  CardView,
  LoadView,
  TransactionView,
  WebhookEvent,
  EventKind,
  SimulateResult,
  TransactionStatus,
} from './state.ts';
export { SandboxState, SandboxError } from './state.ts';
export { parseAmountText, formatAmount } from './money-text.ts';
export { developmentApiKey, developmentWebhookSecret } from './development-keys.ts';
