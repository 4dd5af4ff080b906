import { isPortOpen } from '@cardgate/local-stack';

export async function assertPortFree(what: string, port: number, variable: string): Promise<void> {
  if (await isPortOpen(port))
    throw new Error(
      `${what}: port ${port} on 127.0.0.1 is already in use by another program; stop it, or set ${variable}`,
    );
}
