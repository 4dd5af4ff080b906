// The node API's write path for clients such as tronweb: building a contract call, calling a constant function
// (USDT balanceOf, decimals) and broadcasting a signed transfer, which the next block executes.
import type { Hono } from 'hono';
import {
  balancesFunction,
  decodeBalancesCall,
  encodeUintArray,
  parseTronAddress,
  type TronAddress,
} from '@cardgate/tron';
import type { DevnetChain } from './chain.ts';
import { addressParameter, body, hexMessage, int } from './request.ts';
import { buildTriggerTransaction, checkBroadcast, decodeTransferCall, selectorOf } from './transactions.ts';

/**
 * A balance-checker contract (`balances(address[],address[])`, @cardgate/tron's balance-checker.ts) the devnet
 * answers at this address, as mainnet has deployed ones: many holders' USDT in one constant call.
 */
export const devnetBalanceCheckerContract = parseTronAddress(`41${'bc'.repeat(20)}`).base58;
const balanceCheckerHex20 = parseTronAddress(devnetBalanceCheckerContract).hex20;
const balancesSelector = selectorOf(balancesFunction);

/** The checker's answer: each holder's balance of each token, holder-major; a token that is not USDT holds nothing. */
function checkedBalances(chain: DevnetChain, parameter: string): string | undefined {
  let call: { holders: string[]; tokens: string[] };
  try {
    call = decodeBalancesCall(parameter);
  } catch {
    return undefined;
  }
  const values: bigint[] = [];
  for (const holder of call.holders) {
    // The 20-byte id is all the chain's balances are keyed by: no base58 encoding per holder.
    const address: TronAddress = { hex20: holder, hex41: `41${holder}`, base58: '' };
    for (const token of call.tokens)
      values.push(token === chain.usdt.hex20 ? chain.usdtBalance(address) : 0n);
  }
  return encodeUintArray(values);
}

export function addContractRoutes(app: Hono, chain: DevnetChain): void {
  app.post('/wallet/triggersmartcontract', async (context) => {
    const request = await body(context);
    const owner = addressParameter(request.owner_address);
    const contract = addressParameter(request.contract_address);
    const selector =
      typeof request.function_selector === 'string' ? selectorOf(request.function_selector) : undefined;
    const parameter = typeof request.parameter === 'string' ? request.parameter.toLowerCase() : '';
    if (!owner || !contract || !selector || !/^[0-9a-f]*$/.test(parameter))
      return context.json({
        result: { code: 'CONTRACT_VALIDATE_ERROR', message: hexMessage('malformed contract call') },
      });
    const head = chain.block(chain.headNumber)!;
    const transaction = buildTriggerTransaction({
      owner,
      contract,
      data: selector + parameter,
      feeLimit: int(request.fee_limit) ?? 150_000_000,
      refBlockNumber: head.number,
      refBlockId: head.blockID,
      nowMs: Date.now(),
    });
    return context.json({ result: { result: true }, transaction });
  });

  app.post('/wallet/triggerconstantcontract', async (context) => {
    const request = await body(context);
    const contract = addressParameter(request.contract_address);
    const selector =
      typeof request.function_selector === 'string' ? selectorOf(request.function_selector) : undefined;
    const parameter = typeof request.parameter === 'string' ? request.parameter.toLowerCase() : '';
    if (contract?.hex20 === balanceCheckerHex20 && selector === balancesSelector) {
      const result = checkedBalances(chain, parameter);
      if (result === undefined)
        return context.json({
          result: { code: 'CONTRACT_EXE_ERROR', message: hexMessage('malformed balances call') },
        });
      return context.json({ result: { result: true }, energy_used: 940, constant_result: [result] });
    }
    if (!contract || contract.hex20 !== chain.usdt.hex20)
      return context.json({
        result: { code: 'CONTRACT_VALIDATE_ERROR', message: hexMessage('no contract at that address') },
      });
    let word: string;
    if (selector === '70a08231' && /^[0-9a-f]{64}$/.test(parameter))
      word = chain
        .usdtBalance(parseTronAddress(parameter.slice(24)))
        .toString(16)
        .padStart(64, '0');
    else if (selector === '313ce567') word = (6).toString(16).padStart(64, '0');
    else
      return context.json({
        result: { code: 'CONTRACT_EXE_ERROR', message: hexMessage('unsupported call') },
      });
    return context.json({ result: { result: true }, energy_used: 940, constant_result: [word] });
  });

  app.post('/wallet/broadcasttransaction', async (context) => {
    const request = await body(context);
    const checked = checkBroadcast(request);
    if (!checked.ok)
      return context.json({ code: checked.code, message: hexMessage(checked.message), txid: request.txID });
    if (checked.expirationMs <= Date.now())
      return context.json({
        code: 'TRANSACTION_EXPIRATION_ERROR',
        message: hexMessage('transaction expired'),
        txid: checked.txID,
      });
    if (chain.hasTransaction(checked.txID))
      return context.json({
        code: 'DUP_TRANSACTION_ERROR',
        message: hexMessage('dup transaction'),
        txid: checked.txID,
      });
    const call = decodeTransferCall(checked.data);
    if (!call)
      return context.json({
        code: 'CONTRACT_VALIDATE_ERROR',
        message: hexMessage('only transfer(address,uint256)'),
        txid: checked.txID,
      });
    chain.submitSigned({
      txID: checked.txID,
      owner: checked.owner,
      contract: checked.contract,
      to: call.to,
      amountMinor: call.amountMinor,
    });
    return context.json({ result: true, txid: checked.txID });
  });
}
