import type { EIP1193Provider, RequestArguments } from "hardhat/types";

/** Attempts of a request whose connection the node closed before reading it. */
const ATTEMPTS = 4;
/** Requests in flight at once through Hardhat's HTTP provider (each may open a connection of its own). */
const IN_FLIGHT = 8;

/** Whether `error` is a connection failure: the node closed or reset the connection a request went out on. */
export function isClosedSocket(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const record = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (record.code === "UND_ERR_SOCKET" || record.code === "ECONNRESET") return true;
    if (typeof record.message === "string" && /other side closed|socket hang up|ECONNRESET/.test(record.message)) {
      return true;
    }
    current = record.cause;
  }
  return false;
}

const hardened = new WeakSet<object>();

/**
 * Hardens Hardhat's HTTP provider for a long run against a local node: at most {@link IN_FLIGHT} requests at once
 * (a burst of hundreds of parallel reads opens as many connections, and a busy node resets some), and a request
 * that failed on a closed or reset connection is sent again. A node over HTTP (Hardhat's, anvil) closes keep-alive
 * connections after a few idle seconds, and a request sent on one at that moment fails before the node reads it;
 * long pilot steps leave Hardhat's connection idle while another client sends. Only connection failures are
 * retried: any answer from the node, error or not, is returned as it is.
 * @param provider Hardhat's network provider (`hre.network.provider`).
 */
export function hardenHttpProvider(provider: EIP1193Provider & { send?: unknown }): void {
  if (hardened.has(provider)) return;
  hardened.add(provider);
  const request = provider.request.bind(provider);
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (active < IN_FLIGHT) {
      active += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };
  provider.request = async (args: RequestArguments): Promise<unknown> => {
    await acquire();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await request(args);
        } catch (error: unknown) {
          if (attempt >= ATTEMPTS || !isClosedSocket(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
      }
    } finally {
      release();
    }
  };
  // Hardhat's adapter answers the legacy `send(method, params)` (what hardhat-ethers calls) from its inner
  // provider, past `request`: route it through the hardened `request`.
  if (typeof provider.send === "function") {
    provider.send = (method: string, params?: unknown[]): Promise<unknown> => provider.request({ method, params });
  }
}
