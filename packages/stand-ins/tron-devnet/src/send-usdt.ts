// `node packages/stand-ins/tron-devnet/src/send-usdt.ts <address> <amount>`: sends devnet USDT from the faucet, for demos.
import { parseMoney, formatMoney, USDT } from '@cardgate/money';
import { parseTronAddress } from '@cardgate/tron';

const [to, amount] = process.argv.slice(2);
if (!to || !amount) {
  process.stderr.write('usage: send-usdt <TRON address> <amount in USDT, e.g. 25.5>\n');
  process.exit(64);
}
const address = parseTronAddress(to);
const money = parseMoney(amount, USDT);
const devnetUrl = process.env.TRON_DEVNET_URL ?? 'http://127.0.0.1:8090';
const response = await fetch(`${devnetUrl}/admin/transfer`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ to: address.base58, amountMinor: money.minor.toString() }),
});
const result = (await response.json()) as { txId?: string; Error?: string };
if (!response.ok || !result.txId) {
  process.stderr.write(`devnet refused: ${result.Error ?? response.status}\n`);
  process.exit(1);
}
process.stdout.write(`sent ${formatMoney(money)} USDT to ${address.base58}: transaction ${result.txId}\n`);
