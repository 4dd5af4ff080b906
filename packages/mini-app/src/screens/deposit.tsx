// Deposit: the user's TRON address as text and QR code, a copy button (the Main button), "TRC-20 USDT only" and the
// minimum deposit said plainly, and what happens after sending.
import { useState } from 'preact/hooks';
import type { DepositAddress, Me } from '../api/index.ts';
import { useApp } from '../app-context.ts';
import { useTranslate } from '../i18n/i18n.ts';
import { formatAmount, formatBasisPointsAsPercent } from '../money/format-money.ts';
import { haptic } from '../telegram/telegram.ts';
import { useMainButton } from '../use-telegram-buttons.ts';
import { useResource } from '../use-resource.ts';
import { Loading, ProblemView, Section } from '../ui/ui.tsx';

/** How long "Address copied" stays on the button. */
const copiedShownMs = 2_000;

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard access is refused in some webviews: select the text so the user can copy it by hand.
    const field = document.querySelector<HTMLElement>('[data-testid="deposit-address"]');
    if (field) window.getSelection()?.selectAllChildren(field);
    return false;
  }
}

export function DepositScreen() {
  const { api, language } = useApp();
  const t = useTranslate();
  const [copied, setCopied] = useState(false);
  const resource = useResource<{ address: DepositAddress; me: Me }>(async () => {
    const [address, me] = await Promise.all([api.depositAddress(), api.me()]);
    return { address, me };
  }, []);
  const copy = async (): Promise<void> => {
    if (resource.data === undefined) return;
    const done = await copyText(resource.data.address.address);
    haptic(done ? 'success' : 'warning');
    setCopied(done);
    if (done) setTimeout(() => setCopied(false), copiedShownMs);
  };
  useMainButton(
    resource.data === undefined
      ? undefined
      : { text: copied ? t('deposit.copied') : t('deposit.copy'), onClick: () => void copy() },
  );

  if (resource.data === undefined) {
    return resource.state === 'failed' ? (
      <ProblemView problem={resource.problem} onRetry={resource.reload} />
    ) : (
      <Loading />
    );
  }
  const { address, me } = resource.data;
  const qrSource = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(address.qrCodeSvg)}`;
  return (
    <main class="screen" data-screen="deposit">
      <h1 class="screen-title">{t('deposit.title')}</h1>
      <p class="notice" data-testid="network-only">
        <strong>{t('deposit.networkOnly')}</strong> {t('deposit.networkWarning')}
      </p>
      <Section title={t('deposit.address')}>
        {/* The SVG comes from our API; as an <img> no script in it could run. */}
        <img
          class="qr"
          src={qrSource}
          alt={t('deposit.qrAlt')}
          width={200}
          height={200}
          data-testid="deposit-qr"
        />
        <p class="address" data-testid="deposit-address">
          {address.address}
        </p>
        <button type="button" class="secondary-button" onClick={() => void copy()} data-testid="copy-address">
          {copied ? t('deposit.copied') : t('deposit.copy')}
        </button>
      </Section>
      <Section>
        <p data-testid="minimum-deposit">
          {t('deposit.minimum', { amount: formatAmount(address.minimumDeposit, language) })}
        </p>
        <p class="hint">{t('deposit.belowMinimum')}</p>
        <p class="hint address-hint">{t('deposit.contract', { contract: address.token.contract })}</p>
        <p class="hint">
          {t('deposit.fee', {
            fixed: formatAmount(me.prices.depositFeeFixed, language),
            percent: formatBasisPointsAsPercent(me.prices.depositFeeBasisPoints, language),
          })}
        </p>
      </Section>
      <Section title={t('deposit.next.title')}>
        <ol class="steps">
          <li>{t('deposit.next.1')}</li>
          <li>{t('deposit.next.2')}</li>
          <li>{t('deposit.next.3')}</li>
        </ol>
      </Section>
    </main>
  );
}
