// What the bot answers users: /start greets in their language, records the Cardgate user (the same sign-in the Mini
// App does) and offers the Mini App (an inline web_app button and the chat's menu button); /balance answers from the
// BalanceSource; anything else gets the help text.
import type { Logger } from '@cardgate/config';
import type { createUserStore } from '@cardgate/users';
import type { Bot, Context } from 'grammy';
import type { BalanceSource } from './balances.ts';
import { openAppKeyboard } from './mini-app.ts';
import { amountText, catalogues, languageOf, languages, say, type Language } from './texts/index.ts';

type UserStore = Pick<ReturnType<typeof createUserStore>, 'signIn' | 'byTelegramUserId' | 'markBotReachable'>;

export interface CommandDependencies {
  readonly users: UserStore;
  readonly balances: BalanceSource;
  readonly miniAppUrl: string;
  readonly logger: Logger;
}

const languageOfContext = (context: Context): Language => languageOf(context.from?.language_code);

export function installCommands(bot: Bot<Context>, dependencies: CommandDependencies): void {
  const { users, balances, miniAppUrl, logger } = dependencies;
  // Commands only in private chats: the bot writes to people, not to groups.
  const chats = bot.chatType('private');

  chats.command('start', async (context) => {
    const from = context.from;
    const language = languageOfContext(context);
    const user = await users.signIn({
      telegramUserId: from.id,
      firstName: from.first_name,
      lastName: from.last_name,
      username: from.username,
      languageCode: from.language_code,
      isPremium: from.is_premium,
    });
    if (user.botBlockedAt !== null) await users.markBotReachable(user.id);
    await context.reply(say(language, 'start_greeting', { name: from.first_name }), {
      reply_markup: openAppKeyboard(language, miniAppUrl),
    });
    await context.api.setChatMenuButton({
      chat_id: context.chat.id,
      menu_button: { type: 'web_app', text: say(language, 'menu_button'), web_app: { url: miniAppUrl } },
    });
  });

  chats.command('balance', async (context) => {
    const language = languageOfContext(context);
    const user = await users.byTelegramUserId(context.from.id);
    if (user === null) {
      await context.reply(say(language, 'balance_unknown_user'), {
        reply_markup: openAppKeyboard(language, miniAppUrl),
      });
      return;
    }
    let text: string;
    try {
      const balance = await balances.ofUser(user.id);
      const lines = [
        say(language, 'balance_title'),
        say(language, 'balance_wallet', { amount: amountText(language, balance.wallet) }),
        ...(balance.cards.length === 0
          ? [say(language, 'balance_no_cards')]
          : balance.cards.map((card) =>
              say(language, 'balance_card', {
                card: card.cardId.slice(-4),
                amount: amountText(language, card.available),
              }),
            )),
      ];
      text = lines.join('\n');
    } catch (error) {
      logger.error({ error: String(error), userId: user.id }, 'balances could not be read');
      text = say(language, 'balance_unavailable');
    }
    await context.reply(text, { reply_markup: openAppKeyboard(language, miniAppUrl) });
  });

  chats.on('message', async (context) => {
    const language = languageOfContext(context);
    await context.reply(say(language, 'help'), { reply_markup: openAppKeyboard(language, miniAppUrl) });
  });
}

/** The command list and the default menu button, in each language, set once at start-up. */
export async function announceCommands(bot: Bot<Context>, miniAppUrl: string): Promise<void> {
  for (const language of languages) {
    const texts = catalogues[language];
    await bot.api.setMyCommands(
      [
        { command: 'start', description: texts.command_start },
        { command: 'balance', description: texts.command_balance },
      ],
      language === 'en' ? {} : { language_code: language },
    );
  }
  await bot.api.setChatMenuButton({
    menu_button: { type: 'web_app', text: say('en', 'menu_button'), web_app: { url: miniAppUrl } },
  });
}
