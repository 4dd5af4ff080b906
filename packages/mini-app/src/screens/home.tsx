// Home: the USDT balance and each card's balance, re-read on every live event (no reload), the deposits still on
// their way with their confirmations, and the way to the other screens. The Main button opens the deposit screen.
import type { Deposit } from '../api/index.ts';
import { loadHome, takePrefetchedHome, type HomeData } from './home-data.ts';
import { useApp } from '../app-context.ts';
import { useTranslate } from '../i18n/i18n.ts';
import { formatAmount, isNonZero } from '../money/format-money.ts';
import { useMainButton } from '../use-telegram-buttons.ts';
import { useResource } from '../use-resource.ts';
import { Amount, Loading, ProblemView, Section } from '../ui/ui.tsx';

export function HomeScreen() {
  const { api, language, navigate, liveVersion } = useApp();
  const t = useTranslate();
  const home = useResource<HomeData>(() => takePrefetchedHome() ?? loadHome(api), [liveVersion]);
  useMainButton({ text: t('home.deposit'), onClick: () => navigate({ name: 'deposit' }) });

  if (home.data === undefined) {
    return home.state === 'failed' ? (
      <ProblemView problem={home.problem} onRetry={home.reload} />
    ) : (
      <Loading />
    );
  }
  const { balances, cards, deposits } = home.data;
  return (
    <main class="screen" data-screen="home">
      {home.state === 'failed' ? <ProblemView problem={home.problem} onRetry={home.reload} /> : null}
      <section class="hero" data-testid="wallet">
        <p class="hero-label">{t('home.wallet')}</p>
        <p class="hero-amount">
          <Amount value={balances.wallet.available} testId="wallet-balance" />
        </p>
        {isNonZero(balances.wallet.pending) ? (
          <p class="hint" data-testid="wallet-pending">
            {t('home.pendingAmount', { amount: formatAmount(balances.wallet.pending, language) })}
          </p>
        ) : null}
      </section>

      {deposits.length > 0 ? (
        <Section title={t('home.deposits')} testId="deposits">
          {deposits.map((deposit) => (
            <DepositLine key={deposit.id} deposit={deposit} />
          ))}
        </Section>
      ) : null}

      <Section title={t('home.cards')} testId="cards">
        {balances.cards.length === 0 ? (
          <div class="empty">
            <p>{t('home.noCards')}</p>
            <button type="button" class="secondary-button" onClick={() => navigate({ name: 'card' })}>
              {t('home.issueCard')}
            </button>
          </div>
        ) : (
          balances.cards.map((balance) => {
            const last4 = cards.find((card) => card.id === balance.cardId)?.lastFour;
            const name = last4
              ? t('home.cardLine', { last4 })
              : balance.state === 'issuing'
                ? t('home.cardIssuing')
                : t('card.title');
            return (
              <button
                type="button"
                class="list-item"
                key={balance.cardId}
                data-testid="card-line"
                onClick={() => navigate({ name: 'card', cardId: balance.cardId })}
              >
                <span>{name}</span>
                <Amount value={balance.available} testId={`card-balance-${balance.cardId}`} />
              </button>
            );
          })
        )}
      </Section>

      <nav class="links">
        <button type="button" class="link-button" onClick={() => navigate({ name: 'history' })}>
          {t('home.history')}
        </button>
      </nav>
    </main>
  );
}

function DepositLine(props: { deposit: Deposit }) {
  const t = useTranslate();
  const { deposit } = props;
  const label =
    deposit.state === 'confirming' && deposit.confirmations
      ? t('deposit.state.confirming', {
          done: String(deposit.confirmations.done),
          needed: String(deposit.confirmations.needed),
        })
      : t(`deposit.state.${deposit.state}`);
  return (
    <div class="deposit" data-testid="deposit-line" data-state={deposit.state}>
      <div class="row">
        <Amount value={deposit.amount} />
        <span class="hint">{label}</span>
      </div>
      {deposit.confirmations && (deposit.state === 'seen' || deposit.state === 'confirming') ? (
        <progress max={deposit.confirmations.needed} value={deposit.confirmations.done} aria-label={label} />
      ) : null}
    </div>
  );
}
