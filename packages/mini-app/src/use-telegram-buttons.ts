// The Main and Back buttons as Preact hooks: a screen says what its primary action is, and the button follows the
// screen's state; leaving the screen hides it.
import { useEffect, useRef } from 'preact/hooks';
import { showBackButton, showMainButton, type MainButtonSpec } from './telegram/telegram.ts';

export function useMainButton(spec: MainButtonSpec | undefined): void {
  const onClick = useRef(spec?.onClick);
  onClick.current = spec?.onClick;
  const text = spec?.text;
  const enabled = spec?.enabled !== false;
  const loading = spec?.loading === true;
  useEffect(() => {
    if (text === undefined) return;
    return showMainButton({ text, enabled, loading, onClick: () => onClick.current?.() });
  }, [text, enabled, loading]);
}

export function useBackButton(onBack: (() => void) | undefined): void {
  const handler = useRef(onBack);
  handler.current = onBack;
  const shown = onBack !== undefined;
  useEffect(() => {
    if (!shown) return;
    return showBackButton(() => handler.current?.());
  }, [shown]);
}
