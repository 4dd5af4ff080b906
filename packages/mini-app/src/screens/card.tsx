// Card: without a card, the issue offer with its fee shown before the user confirms on the Main button; with one, its
// balance and state, freeze and unfreeze, the auto-load switch and its recent transactions, and "Load card" on the
// Main button.
import { useEffect, useState } from 'preact/hooks';
import { asApiProblem, type ApiProblem, type Card, type Me } from '../api/index.ts';
import { useApp } from '../app-context.ts';
import { isOutcomeUnknown, useIntentKey } from '../intent-key.ts';
import { useTranslate, type MessageKey } from '../i18n/i18n.ts';
import { formatAmount } from '../money/format-money.ts';
import { haptic } from '../telegram/telegram.ts';
import { useMainButton } from '../use-telegram-buttons.ts';
import { useResource } from '../use-resource.ts';
import { Amount, Loading, ProblemView, Row, Section } from '../ui/ui.tsx';
import { cardActivity, type CardActivityLine } from './card-activity.ts';

/**
 * How soon a card whose freeze or unfreeze is on its way to the provider is read again: no live event says it
 * arrived (the provider answers within a second or two), and the screen should not say "Active" for long after.
 */
const stateChangeRereadMs = 1_000;

export function CardScreen(props: { cardId?: string }) {
  const { api, liveVersion } = useApp();
  const [issuedId, setIssuedId] = useState<string | undefined>(undefined);
  const cardId = props.cardId ?? issuedId;
  const resource = useResource<{ card?: Card; me?: Me }>(async () => {
    if (cardId !== undefined) return { card: await api.card(cardId) };
    const cards = await api.cards();
    if (cards[0]) return { card: cards[0] };
    return { me: await api.me() };
  }, [cardId, liveVersion]);

  if (resource.data === undefined) {
    return resource.state === 'failed' ? (
      <ProblemView problem={resource.problem} onRetry={resource.reload} />
    ) : (
      <Loading />
    );
  }
  const { card, me } = resource.data;
  if (card) return <CardView card={card} onChanged={resource.reload} />;
  return <IssueView me={me!} onIssued={(issued) => setIssuedId(issued.id)} />;
}

function IssueView(props: { me: Me; onIssued: (card: Card) => void }) {
  const { api, language, reportSessionProblem } = useApp();
  const t = useTranslate();
  const intent = useIntentKey();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const fee = formatAmount(props.me.prices.cardIssueFee, language);
  const issue = async (): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    try {
      const card = await api.issueCard(intent.current());
      haptic('success');
      intent.renew();
      props.onIssued(card);
    } catch (error) {
      const failure = asApiProblem(error);
      if (failure.kind === 'session') reportSessionProblem(failure);
      if (!isOutcomeUnknown(failure)) intent.renew();
      haptic('error');
      setProblem(failure);
    } finally {
      setBusy(false);
    }
  };
  useMainButton({
    text: t('card.issue.confirm', { amount: fee }),
    loading: busy,
    onClick: () => void issue(),
  });
  return (
    <main class="screen" data-screen="card-issue">
      <h1 class="screen-title">{t('card.issue.title')}</h1>
      <p>{t('card.issue.body')}</p>
      <p class="notice" data-testid="issue-fee">
        {t('card.issue.fee', { amount: fee })}
      </p>
      {problem ? <ProblemView problem={problem} /> : null}
    </main>
  );
}

const stateKeys: Record<Card['state'], MessageKey> = {
  issuing: 'card.state.issuing',
  open: 'card.state.active',
  frozen: 'card.state.frozen',
  closed: 'card.state.closed',
  failed: 'card.state.failed',
};
const stateChangeKeys: Record<NonNullable<Card['stateChange']>, MessageKey> = {
  freezing: 'card.state.freezing',
  unfreezing: 'card.state.unfreezing',
};

function CardView(props: { card: Card; onChanged: () => void }) {
  const { api, navigate, reportSessionProblem, liveVersion } = useApp();
  const t = useTranslate();
  const { card } = props;
  const intent = useIntentKey();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const transactions = useResource(() => api.cardTransactions(card.id), [card.id, liveVersion]);

  const act = async (action: () => Promise<unknown>, renewKey: boolean): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
      haptic('success');
      if (renewKey) intent.renew();
      props.onChanged();
    } catch (error) {
      const failure = asApiProblem(error);
      if (failure.kind === 'session') reportSessionProblem(failure);
      if (renewKey && !isOutcomeUnknown(failure)) intent.renew();
      haptic('error');
      setProblem(failure);
    } finally {
      setBusy(false);
    }
  };
  const frozen = card.state === 'frozen';
  const changing = card.stateChange !== null;
  const { onChanged } = props;
  useEffect(() => {
    if (!changing) return;
    const timer = setTimeout(onChanged, stateChangeRereadMs);
    return () => clearTimeout(timer);
  }, [changing, card, onChanged]);
  useMainButton({
    text: t('card.load'),
    enabled: card.state === 'open' && !changing,
    onClick: () => navigate({ name: 'load', cardId: card.id }),
  });

  return (
    <main class="screen" data-screen="card">
      <section class="hero">
        <p class="hero-label">
          {card.lastFour ? t('home.cardLine', { last4: card.lastFour }) : t('home.cardIssuing')} ·{' '}
          <span data-testid="card-state">
            {t(card.stateChange ? stateChangeKeys[card.stateChange] : stateKeys[card.state])}
          </span>
        </p>
        <p class="hero-amount">
          <Amount value={card.balance.available} testId="card-balance" />
        </p>
        <p class="hint">{t('card.balance')}</p>
      </section>
      {card.state === 'issuing' ? <p class="notice">{t('card.issue.pending')}</p> : null}
      {problem ? <ProblemView problem={problem} /> : null}
      <Section>
        {card.state === 'open' || frozen ? (
          <button
            type="button"
            class="secondary-button"
            disabled={busy || changing}
            data-testid="freeze-toggle"
            onClick={() =>
              void act(
                () =>
                  frozen
                    ? api.unfreezeCard(card.id, intent.current())
                    : api.freezeCard(card.id, intent.current()),
                true,
              )
            }
          >
            {frozen ? t('card.unfreeze') : t('card.freeze')}
          </button>
        ) : null}
        {frozen ? <p class="hint">{t('card.frozenNote')}</p> : null}
        <label class="switch-row">
          <span>
            {t('card.autoLoad')}
            <span class="hint block">{t('card.autoLoadNote')}</span>
          </span>
          <input
            type="checkbox"
            role="switch"
            checked={card.autoLoad}
            disabled={busy}
            data-testid="auto-load"
            onChange={(event) => {
              const wanted = event.currentTarget.checked;
              void act(() => api.setAutoLoad(card.id, wanted), false);
            }}
          />
        </label>
      </Section>
      <Section title={t('card.transactions')} testId="card-transactions">
        {transactions.data === undefined ? (
          transactions.state === 'failed' ? (
            <ProblemView problem={transactions.problem} onRetry={transactions.reload} />
          ) : (
            <Loading />
          )
        ) : transactions.data.items.length === 0 ? (
          <p class="empty">{t('card.noTransactions')}</p>
        ) : (
          cardActivity(transactions.data.items).map((line) => (
            <TransactionLine key={line.transactionId} line={line} />
          ))
        )}
      </Section>
    </main>
  );
}

function TransactionLine(props: { line: CardActivityLine }) {
  const { language } = useApp();
  const t = useTranslate();
  const { line } = props;
  const when = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(line.occurredAt),
  );
  return (
    <Row
      testId="card-transaction"
      label={
        <>
          {line.merchant ?? t('card.txn.noMerchant')}
          <span class="hint block">
            {when} · {t(line.stateKey)}
          </span>
        </>
      }
      value={<Amount value={line.amount} signed={line.signed} />}
    />
  );
}
