// Load: the user types a USDT amount, gets a quote (rate, spread, fee, USD received) with its remaining validity
// counting down, confirms it on the Main button, and sees the result. An expired quote offers a new one; a failed
// load says nothing was taken. The load carries one Idempotency-Key per quote, so a retry cannot load twice.
import { useEffect, useState } from 'preact/hooks';
import { asApiProblem, type ApiProblem, type Load, type Quote } from '../api/index.ts';
import { useApp } from '../app-context.ts';
import { isOutcomeUnknown, newIntentKey } from '../intent-key.ts';
import { useTranslate, type MessageKey } from '../i18n/i18n.ts';
import { formatAmount, readAmountInput, type AmountInputProblem } from '../money/format-money.ts';
import { haptic } from '../telegram/telegram.ts';
import { useMainButton } from '../use-telegram-buttons.ts';
import { useResource } from '../use-resource.ts';
import { Amount, ProblemView, Row, Section } from '../ui/ui.tsx';

type Stage =
  | { readonly name: 'input' }
  | { readonly name: 'quote'; readonly quote: Quote; readonly intentKey: string }
  | { readonly name: 'result'; readonly load: Load }
  | { readonly name: 'failed' };

const inputProblemKeys: Record<AmountInputProblem, MessageKey> = {
  empty: 'load.amount.empty',
  malformed: 'load.amount.malformed',
  tooManyDecimals: 'load.amount.tooManyDecimals',
  zero: 'load.amount.zero',
  tooLarge: 'load.amount.tooLarge',
};

/** Whole seconds until the quote expires, never negative; time, not money. */
function secondsUntil(isoTime: string, nowMs: number): number {
  return Math.max(0, Math.ceil((Date.parse(isoTime) - nowMs) / 1000));
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function LoadScreen(props: { cardId: string }) {
  const { api, language, home, reportSessionProblem } = useApp();
  const t = useTranslate();
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const [stage, setStage] = useState<Stage>({ name: 'input' });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const balances = useResource(() => api.balances(), []);
  const now = useNow(stage.name === 'quote');
  const input = readAmountInput(text);
  const secondsLeft = stage.name === 'quote' ? secondsUntil(stage.quote.expiresAt, now) : 0;
  const expired = stage.name === 'quote' && secondsLeft === 0;

  const fail = (error: unknown): ApiProblem => {
    const failure = asApiProblem(error);
    if (failure.kind === 'session') reportSessionProblem(failure);
    haptic('error');
    setProblem(failure);
    return failure;
  };
  const getQuote = async (): Promise<void> => {
    setTouched(true);
    if (!input.ok) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const quote = await api.quote(props.cardId, input.amount);
      setStage({ name: 'quote', quote, intentKey: newIntentKey() });
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (quote: Quote, intentKey: string): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    try {
      const load = await api.loadCard(props.cardId, quote.id, intentKey);
      haptic(load.status === 'failed' ? 'error' : 'success');
      setStage(load.status === 'failed' ? { name: 'failed' } : { name: 'result', load });
    } catch (error) {
      const failure = fail(error);
      // An expired quote (409) needs a new quote; an unknown outcome keeps the quote and its key for a safe retry.
      if (failure.kind === 'conflict') setStage({ name: 'input' });
      else if (!isOutcomeUnknown(failure) && failure.kind !== 'session') setStage({ name: 'failed' });
    } finally {
      setBusy(false);
    }
  };

  useMainButton(mainButtonFor());
  function mainButtonFor() {
    if (stage.name === 'result' || stage.name === 'failed') return { text: t('load.done'), onClick: home };
    if (stage.name === 'quote' && !expired) {
      const { quote, intentKey } = stage;
      return {
        text: t('load.confirm', { amount: formatAmount(quote.received, language) }),
        loading: busy,
        onClick: () => void confirm(quote, intentKey),
      };
    }
    return {
      text: expired ? t('load.refresh') : t('load.getQuote'),
      loading: busy,
      enabled: input.ok,
      onClick: () => void getQuote(),
    };
  }

  if (stage.name === 'result') {
    return (
      <main class="screen" data-screen="load-result">
        <section class="result success" role="status" data-testid="load-success">
          {/* The API answers once the USDT is held (202, pending); the card is loaded at the provider a moment later,
              and the home screen shows it when the live event comes. */}
          {stage.load.status === 'loaded' && stage.load.received ? (
            <>
              <h1 class="screen-title">{t('load.success.title')}</h1>
              <p>{t('load.success.body', { amount: formatAmount(stage.load.received, language) })}</p>
            </>
          ) : (
            <>
              <h1 class="screen-title">{t('load.pending.title')}</h1>
              <p>
                {stage.load.received
                  ? t('load.pending.amount', { amount: formatAmount(stage.load.received, language) })
                  : t('load.pending.body')}
              </p>
            </>
          )}
        </section>
      </main>
    );
  }
  if (stage.name === 'failed') {
    return (
      <main class="screen" data-screen="load-result">
        <section class="result failure" role="alert" data-testid="load-failed">
          <h1 class="screen-title">{t('load.failed.title')}</h1>
          <p>{t('load.failed.body')}</p>
        </section>
      </main>
    );
  }
  return (
    <main class="screen" data-screen="load">
      <h1 class="screen-title">{t('load.title')}</h1>
      <Section>
        <label class="field">
          <span>{t('load.amount')}</span>
          <input
            type="text"
            inputMode="decimal"
            autoComplete="off"
            placeholder="25.00"
            value={text}
            data-testid="load-amount"
            onInput={(event) => {
              setText(event.currentTarget.value);
              if (stage.name === 'quote') setStage({ name: 'input' });
            }}
            onBlur={() => setTouched(true)}
          />
        </label>
        {touched && !input.ok ? (
          <p class="field-problem" role="alert">
            {t(inputProblemKeys[input.problem])}
          </p>
        ) : null}
        {balances.data ? (
          <p class="hint">
            {t('load.available', { amount: formatAmount(balances.data.wallet.available, language) })}
          </p>
        ) : null}
      </Section>
      {problem ? <ProblemView problem={problem} /> : null}
      {stage.name === 'quote' ? (
        <Section title={t('load.quote')} testId="quote">
          <Row label={t('load.rate')} value={t('load.rateValue', { rate: stage.quote.rate })} />
          <Row label={t('load.spread')} value={<Amount value={stage.quote.spread} />} />
          <Row label={t('load.fee')} value={<Amount value={stage.quote.fee} />} />
          <Row
            label={<strong>{t('load.received')}</strong>}
            value={<Amount value={stage.quote.received} testId="quote-received" />}
          />
          <p class={expired ? 'field-problem' : 'hint'} data-testid="quote-validity">
            {expired ? t('load.expired') : t('load.validFor', { seconds: String(secondsLeft) })}
          </p>
        </Section>
      ) : null}
    </main>
  );
}
