// History: the user's statement, newest first, the next page read when the end of the list scrolls into view.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { asApiProblem, type ApiProblem, type StatementLine } from '../api/index.ts';
import { useApp } from '../app-context.ts';
import { useTranslate } from '../i18n/i18n.ts';
import { Amount, Loading, ProblemView, Row } from '../ui/ui.tsx';

/** Pages kept in memory at most; a statement longer than this many pages asks the user to narrow it another way. */
const pagesMax = 50;

export function HistoryScreen() {
  const { api, language, reportSessionProblem } = useApp();
  const t = useTranslate();
  const [lines, setLines] = useState<StatementLine[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [pages, setPages] = useState(0);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const sentinel = useRef<HTMLDivElement>(null);
  const finished = cursor === null || pages >= pagesMax;

  const more = useCallback(async () => {
    if (busy || finished) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const page = await api.statement(cursor ?? undefined);
      setLines((previous) => [...previous, ...page.items]);
      setCursor(page.nextCursor);
      setPages((count) => count + 1);
    } catch (error) {
      const failure = asApiProblem(error);
      if (failure.kind === 'session') reportSessionProblem(failure);
      setProblem(failure);
    } finally {
      setBusy(false);
    }
  }, [api, busy, cursor, finished, reportSessionProblem]);

  useEffect(() => {
    const element = sentinel.current;
    if (!element || finished || problem) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void more();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [more, finished, problem]);

  const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <main class="screen" data-screen="history">
      <h1 class="screen-title">{t('history.title')}</h1>
      {pages === 0 && busy ? <Loading /> : null}
      {pages > 0 && lines.length === 0 ? <p class="empty">{t('history.empty')}</p> : null}
      <div class="section-body" data-testid="statement">
        {lines.map((line) => (
          <Row
            key={line.id}
            testId="statement-line"
            label={
              <>
                {line.description}
                <span class="hint block">{dateFormat.format(new Date(line.time))}</span>
              </>
            }
            value={<Amount value={line.amount} signed />}
          />
        ))}
      </div>
      {problem ? <ProblemView problem={problem} onRetry={() => void more()} /> : null}
      {pages > 0 && busy ? <p class="hint center">{t('history.loadingMore')}</p> : null}
      {finished && lines.length > 0 ? (
        <p class="hint center" data-testid="statement-end">
          {t('history.end')}
        </p>
      ) : null}
      <div ref={sentinel} class="sentinel" aria-hidden="true" />
    </main>
  );
}
