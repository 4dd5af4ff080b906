// Runs in every test process before its test file: Temporal's SDK logs at INFO by default (a dozen lines per
// worker); tests only need warnings and errors.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
