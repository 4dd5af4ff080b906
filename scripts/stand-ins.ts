// The stand-ins: workspaces that are never deployed (packages/stand-ins/* and test/harness). The lint rule against
// production imports of them (eslint.config.js) and scripts/production-imports.test.ts read this one list; that test
// fails if it and the workspaces disagree.
export const standInPackages: readonly string[] = [
  '@cardgate/tron-devnet',
  '@cardgate/card-sandbox',
  '@cardgate/telegram-bot-api',
  '@cardgate/local-stack',
  '@cardgate/test-harness',
];
