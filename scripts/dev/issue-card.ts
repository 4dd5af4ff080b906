// `node scripts/dev/issue-card.ts <userId>`: issues a virtual card at the card sandbox for a user of the running
// `npm run dev` system (the issuance fee is charged from the user's USDT wallet, so deposit first), with auto-load on:
// the user's next deposits continue into this card. Prints the workflow's outcome.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import {
  cardIssueWorkflowId,
  cardIssueWorkflowType,
  type CardIssueWorkflow,
  type CardIssueWorkflowInput,
} from '@cardgate/contracts';

const userId = process.argv[2];
if (!userId) {
  process.stderr.write('usage: issue-card <userId>\n');
  process.exit(64);
}
const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
try {
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const cardId = `crd_${randomUUID().replaceAll('-', '')}`;
  // Started by type name with the contract's argument and result types: the script never imports the worker.
  const input: CardIssueWorkflowInput = { cardId, userId, autoLoad: true };
  const result = await client.workflow.execute<CardIssueWorkflow>(cardIssueWorkflowType, {
    taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'cardgate',
    workflowId: cardIssueWorkflowId(cardId),
    args: [input],
    workflowExecutionTimeout: '2 minutes',
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await connection.close();
}
