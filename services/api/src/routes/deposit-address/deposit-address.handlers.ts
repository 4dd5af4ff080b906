import type { RouteHandler } from '@hono/zod-openapi';
import QRCode from 'qrcode';
import type { DepositAddressService } from '@cardgate/deposit-addresses';
import type { ProductSettings } from '../../lib/settings.ts';
import { money } from '../../lib/schemas.ts';
import type { AppEnv } from '../../lib/types.ts';
import { displayAmount, fillText, languageOf } from '../../lib/user-language.ts';
import { depositAddressTexts } from './deposit-address.texts.ts';
import type { getDepositAddress } from './deposit-address.routes.ts';

export function depositAddressHandlers(addresses: DepositAddressService, settings: ProductSettings) {
  const minimum = settings.prices.deposit.reviewBelow;
  const getDepositAddressHandler: RouteHandler<typeof getDepositAddress, AppEnv> = async (c) => {
    const user = c.get('user');
    const address = await addresses.assign(user.id);
    const texts = depositAddressTexts[languageOf(user)];
    return c.json(
      {
        address: address.base58,
        network: 'TRON' as const,
        tokenStandard: 'TRC-20' as const,
        token: { symbol: 'USDT' as const, contract: settings.deposits.tokenContract },
        minimumDeposit: money(minimum),
        belowMinimum: 'held_for_review' as const,
        notice: fillText(texts.notice, { minimum: displayAmount(minimum) }),
        qrCodeSvg: await QRCode.toString(address.base58, { type: 'svg' }),
      },
      200,
    );
  };
  return { getDepositAddress: getDepositAddressHandler };
}
