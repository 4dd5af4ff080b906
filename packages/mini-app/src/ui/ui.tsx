// Small pieces every screen uses: an amount, a loading line, a problem in words with a way out.
import type { ComponentChildren } from 'preact';
import type { Money, ProblemKind } from '../api/index.ts';
import { useApp } from '../app-context.ts';
import { useTranslate, type MessageKey } from '../i18n/i18n.ts';
import { formatAmount } from '../money/format-money.ts';

export function Amount(props: { value: Money; signed?: boolean; testId?: string }) {
  const { language } = useApp();
  return (
    <span class="amount" data-testid={props.testId}>
      {formatAmount(props.value, language, { signed: props.signed })}
    </span>
  );
}

export function Loading() {
  const t = useTranslate();
  return (
    <p class="loading" role="status" aria-live="polite">
      {t('app.loading')}
    </p>
  );
}

/** A problem from the API, or the app opened without Telegram's launch parameters. */
export interface ShownProblem {
  readonly kind: ProblemKind | 'outsideTelegram';
}

export function problemTitleKey(problem: ShownProblem): MessageKey {
  return `error.${problem.kind}.title`;
}

export function problemBodyKey(problem: ShownProblem): MessageKey {
  return `error.${problem.kind}.body`;
}

/** A problem in words a user understands, never a status code; a retry where trying again can help. */
export function ProblemView(props: { problem: ShownProblem; onRetry?: () => void }) {
  const t = useTranslate();
  const retryable = !['session', 'not_found', 'outsideTelegram'].includes(props.problem.kind);
  return (
    <section class="problem" role="alert" data-testid={`problem-${props.problem.kind}`}>
      <h2>{t(problemTitleKey(props.problem))}</h2>
      <p>{t(problemBodyKey(props.problem))}</p>
      {retryable && props.onRetry ? (
        <button type="button" class="secondary-button" onClick={props.onRetry}>
          {t('app.retry')}
        </button>
      ) : null}
    </section>
  );
}

export function Section(props: { title?: string; children: ComponentChildren; testId?: string }) {
  return (
    <section class="section" data-testid={props.testId}>
      {props.title ? <h2 class="section-title">{props.title}</h2> : null}
      <div class="section-body">{props.children}</div>
    </section>
  );
}

export function Row(props: { label: ComponentChildren; value: ComponentChildren; testId?: string }) {
  return (
    <div class="row" data-testid={props.testId}>
      <span class="row-label">{props.label}</span>
      <span class="row-value">{props.value}</span>
    </div>
  );
}
