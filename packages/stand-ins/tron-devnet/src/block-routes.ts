// The node API's block and transaction-info reads (what the watcher uses): blocks by number, id or latest, from the
// head or the solidified chain, and the transaction info with the USDT Transfer logs. `{}` for what does not exist.
import type { Context, Hono } from 'hono';
import type { DevnetBlock, DevnetChain } from './chain.ts';
import { body, int } from './request.ts';

export function addBlockRoutes(app: Hono, chain: DevnetChain): void {
  app.post('/wallet/getnodeinfo', (context) =>
    context.json({
      beginSyncNum: 0,
      block: `Num:${chain.headNumber},ID:${chain.block(chain.headNumber)!.blockID}`,
      solidityBlock: `Num:${chain.solidifiedNumber},ID:${chain.block(chain.solidifiedNumber)!.blockID}`,
      configNodeInfo: { codeVersion: 'cardgate-devnet' },
    }),
  );
  app.post('/wallet/getnowblock', (context) => context.json(chain.blockJson(chain.block(chain.headNumber)!)));
  app.post('/walletsolidity/getnowblock', (context) =>
    context.json(chain.blockJson(chain.block(chain.solidifiedNumber)!)),
  );
  // java-tron's wallet/getblock: with detail=false the header alone, without even the transaction ids (java-tron's
  // own test: the answer equals the detailed block with its transactions cleared).
  // Without id_or_num, the latest block; walletsolidity/getblock answers the same from the solidified chain only.
  const getBlock = (solidifiedOnly: boolean) => async (context: Context) => {
    const request = await body(context);
    const latest = solidifiedOnly ? chain.solidifiedNumber : chain.headNumber;
    const idOrNum = request.id_or_num;
    let block: DevnetBlock | undefined;
    if (idOrNum === undefined || idOrNum === '') block = chain.block(latest);
    else if (typeof idOrNum === 'string' && /^[0-9a-f]{64}$/.test(idOrNum)) block = chain.blockById(idOrNum);
    else {
      const number = int(idOrNum);
      if (number === undefined)
        return context.json({ Error: 'id_or_num must be a block number or a block id' }, 400);
      block = chain.block(number);
    }
    if (!block || block.number > latest) return context.json({});
    return context.json(request.detail === true ? chain.blockJson(block) : chain.blockHeaderJson(block));
  };
  app.post('/wallet/getblock', getBlock(false));
  app.post('/walletsolidity/getblock', getBlock(true));
  app.post('/wallet/getblockbyid', async (context) => {
    const id = (await body(context)).value;
    const block = typeof id === 'string' ? chain.blockById(id) : undefined;
    return context.json(block ? chain.blockJson(block) : {});
  });
  app.post('/wallet/getblockbynum', async (context) => {
    const number = int((await body(context)).num);
    if (number === undefined) return context.json({ Error: 'num must be a non-negative integer' }, 400);
    const block = chain.block(number);
    return context.json(block ? chain.blockJson(block) : {});
  });
  app.post('/wallet/getblockbylimitnext', async (context) => {
    const request = await body(context);
    const start = int(request.startNum);
    const end = int(request.endNum);
    if (start === undefined || end === undefined || end <= start || end - start > 100)
      return context.json({ Error: 'startNum < endNum, at most 100 blocks' }, 400);
    const blocks = [];
    for (let number = start; number < end; number += 1) {
      const block = chain.block(number);
      if (block) blocks.push(chain.blockJson(block));
    }
    return context.json(blocks.length > 0 ? { block: blocks } : {});
  });
  app.post('/wallet/gettransactioninfobyblocknum', async (context) => {
    const number = int((await body(context)).num);
    if (number === undefined) return context.json({ Error: 'num must be a non-negative integer' }, 400);
    const block = chain.block(number);
    if (!block) return context.json([]);
    return context.body(chain.transactionInfoListText(block), 200, { 'content-type': 'application/json' });
  });
  app.post('/wallet/gettransactioninfobyid', async (context) => {
    const id = (await body(context)).value;
    for (let number = chain.headNumber; number >= 0; number -= 1) {
      const block = chain.block(number)!;
      const transaction = block.transactions.find((candidate) => candidate.txID === id);
      if (transaction) return context.json(chain.transactionInfo(transaction, block));
    }
    return context.json({});
  });
}
