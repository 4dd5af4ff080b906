// Russian texts of the bot: the same keys as en.ts (texts.test.ts checks it).
import type { TextKey } from './en.ts';

export const ru: Record<TextKey, string> = {
  start_greeting:
    'Здравствуйте, {name}! Cardgate превращает USDT (TRC-20) в предоплаченную карту, которой можно платить где угодно.\n\nОткройте приложение, чтобы увидеть адрес для пополнения, баланс и карты.',
  open_app: 'Открыть Cardgate',
  menu_button: 'Cardgate',
  command_start: 'Начать и открыть приложение',
  command_balance: 'Ваши балансы',
  balance_title: 'Ваши балансы',
  balance_wallet: 'Кошелёк: {amount} USDT',
  balance_card: 'Карта …{card}: доступно {amount} USD',
  balance_no_cards: 'Карт пока нет.',
  balance_unknown_user: 'Сначала откройте приложение, затем спросите снова.',
  balance_unavailable: 'Балансы сейчас недоступны. Попробуйте через минуту.',
  help: 'Я знаю такие команды:\n/start: открыть приложение\n/balance: ваши балансы\n\nВсё остальное в приложении.',
  deposit_seen:
    'Мы видим ваше пополнение на {amount} USDT в сети TRON. Оно будет зачислено после подтверждения сетью, обычно примерно через минуту.',
  deposit_credited:
    'Пополнение зачислено: {net} USDT добавлено в кошелёк (получено {gross} USDT, комиссия {fee} USDT).',
  deposit_held:
    'Ваше пополнение на {amount} USDT меньше минимума и проверяется нашей командой. Мы напишем, когда будет решение.',
  card_issued: 'Ваша карта …{lastFour} готова. Пополните её из кошелька в приложении.',
  card_loaded: 'На вашу карту зачислено {amount} USD.',
  card_load_failed: 'Пополнение карты не прошло; ваши USDT остались в кошельке. Причина: {reason}.',
  card_auto_load_skipped:
    'Пополнение осталось в кошельке: зачисление на карту превысило бы {limit} лимит (осталось {remaining} USD). Пополните карту на доступную сумму в приложении.',
  limit_perLoad: 'разовый',
  limit_perDay: 'дневной',
  limit_perMonth: 'месячный',
  limit_cardBalanceMax: 'карточный',
  card_declined: 'Платёж на {amount} {currency} отклонён ({reason}). Получатель: {merchant}.',
  card_refund: 'На вашу карту поступил возврат {amount} {currency}. Отправитель: {merchant}.',
  merchant_unknown: 'не указан',
};
