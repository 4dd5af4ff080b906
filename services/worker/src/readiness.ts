// The worker's readiness check of the card provider: one authenticated read of a card that does not exist. A 404 is
// the provider answering (and accepting our API key); a refused key, a 5xx, a timeout or no connection is failing.
import { CardProviderError, type CardProvider } from '@cardgate/card-provider';
import type { HealthCheck } from '@cardgate/health';

export const readinessProbeCardToken = 'readiness-probe';

export function cardProviderHealthCheck(provider: Pick<CardProvider, 'getCard'>): HealthCheck {
  return async () => {
    try {
      await provider.getCard(readinessProbeCardToken);
    } catch (error) {
      if (error instanceof CardProviderError && error.status === 404) return;
      throw error;
    }
  };
}
