// Proves how an activity's failures leave it: a broken ledger invariant reaches the crash handler the worker was
// built with (main.ts exits the process) and is never turned into a business refusal that a workflow would act on;
// a business refusal becomes a non-retryable failure with its stable type; a provider's ambiguous failure stays
// retryable; and nothing else reaches the crash handler.
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/activity';
import { failureTypes } from '@cardgate/contracts';
import { CardProviderError } from '@cardgate/card-provider';
import { LedgerError, LedgerInvariantError } from '@cardgate/ledger';
import { mapFailures } from './failures.ts';

function activitiesThatThrow(error: unknown) {
  const broken: LedgerInvariantError[] = [];
  const activities = mapFailures(
    {
      async step(): Promise<void> {
        throw error;
      },
    },
    (invariantError) => broken.push(invariantError),
  );
  return { activities, broken };
}

describe('activity failures', () => {
  it('hands a broken ledger invariant to the crash handler and never maps it to a business type', async () => {
    const invariant = new LedgerInvariantError('posted debits differ from credits', ['t1', 't2']);
    const { activities, broken } = activitiesThatThrow(invariant);
    const thrown = await activities.step().catch((error: unknown) => error);
    expect(broken).toEqual([invariant]);
    expect(thrown).toBe(invariant);
    expect(thrown).not.toBeInstanceOf(ApplicationFailure);
  });

  it('turns a ledger refusal into a non-retryable LedgerRefused failure, without a crash', async () => {
    const { activities, broken } = activitiesThatThrow(
      new LedgerError('exceeds_credits', 'the wallet has too little'),
    );
    const thrown = await activities.step().catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(ApplicationFailure);
    expect((thrown as ApplicationFailure).type).toBe(failureTypes.ledgerRefused);
    expect((thrown as ApplicationFailure).nonRetryable).toBe(true);
    expect(broken).toEqual([]);
  });

  it('keeps an ambiguous provider failure retryable', async () => {
    const { activities, broken } = activitiesThatThrow(
      new CardProviderError('ambiguous', 'timeout', 'the provider did not answer'),
    );
    const thrown = await activities.step().catch((error: unknown) => error);
    expect((thrown as ApplicationFailure).type).toBe(failureTypes.providerAmbiguous);
    expect((thrown as ApplicationFailure).nonRetryable).toBe(false);
    expect(broken).toEqual([]);
  });
});
