import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { JsonRpcProvider, Transaction } from "ethers";
import type { Wallet } from "ethers";

/** One transaction the pilot sends from a key it holds: a canteen's terminal, a vendor's phone, a shop. */
export interface PipelineJob {
  /** The sender's key (seed-derived); its account must hold gas. */
  sender: Wallet;
  to: string;
  data: string;
  /** Fixed gas limit: no estimate per transaction (the pilot knows what each call costs, with a margin). */
  gasLimit: bigint;
}

/** What one transaction did. */
export interface PipelineReceipt {
  hash: string;
  status: number;
  gasUsed: bigint;
  logs: { address: string; topics: string[]; data: string }[];
}

interface RawReceipt {
  transactionHash: string;
  status: string;
  gasUsed: string;
  logs: { address: string; topics: string[]; data: string }[];
}

/** A JSON-RPC request function: the in-process chain's provider or a batching HTTP client. */
type Request = (method: string, params: unknown[]) => Promise<unknown>;

/**
 * Sends many transactions from several senders at once. Under automine (Hardhat, anvil) a node refuses a second
 * pending transaction from the same sender ("nonce too high"), so one sender cannot pipeline: each sender sends its
 * own transactions one after the other, and the senders run side by side, so the node always has work while the
 * script signs the next one. Every transaction is signed locally with an explicit nonce, fee and gas limit: one
 * `eth_sendRawTransaction` per transaction and receipts fetched in JSON-RPC batches, instead of the five or six
 * requests an ethers contract call makes. `serial` sends every transaction one after the other and waits for each
 * receipt before the next, each through an ethers wallet that estimates its gas and reads its nonce and fees: the naive
 * baseline `npm run bench` compares against.
 */
export class Pipeline {
  private readonly request: Request;
  private readonly nonces = new Map<string, number>();
  private fee?: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
  private chainId?: bigint;
  private readonly http?: JsonRpcProvider;

  constructor(
    private readonly hre: HardhatRuntimeEnvironment,
    private readonly serial: boolean,
    private readonly confirmations: number,
  ) {
    const url = "url" in hre.network.config ? hre.network.config.url : undefined;
    if (url) {
      // A direct client batches concurrent requests into one HTTP round trip (receipts, nonces).
      this.http = new JsonRpcProvider(url, Number(hre.network.config.chainId ?? 31337), {
        staticNetwork: true,
        batchMaxCount: 100,
        batchStallTime: 2,
      });
      const http = this.http;
      this.request = (method, params) => http.send(method, params);
    } else {
      this.request = (method, params) => hre.network.provider.request({ method, params });
    }
  }

  /** Closes the HTTP client, if any. */
  destroy(): void {
    this.http?.destroy();
  }

  /**
   * Sends every job and returns the receipts in the jobs' order. Reverted transactions are returned with status 0:
   * the caller decides whether a failure was expected.
   * @param jobs The transactions.
   * @param onDone Called after each transaction is mined (progress bars).
   */
  async run(jobs: readonly PipelineJob[], onDone?: () => void): Promise<PipelineReceipt[]> {
    if (jobs.length === 0) return [];
    await this.prepare(jobs);
    const hashes = new Array<string>(jobs.length);
    if (this.serial) {
      // The naive way a script sends: an ethers wallet fills in nonce, chain id, fees and a gas estimate (which
      // executes the call once more on the node) for each transaction, then waits for its receipt.
      const receipts: PipelineReceipt[] = [];
      for (const job of jobs) {
        const response = await job.sender
          .connect(this.hre.ethers.provider)
          .sendTransaction({ to: job.to, data: job.data });
        const receipt = await response.wait(this.confirmations, 0);
        if (!receipt) throw new Error(`transaction ${response.hash} dropped`);
        receipts.push({
          hash: receipt.hash,
          status: receipt.status ?? 0,
          gasUsed: receipt.gasUsed,
          logs: receipt.logs.map((l) => ({ address: l.address, topics: [...l.topics], data: l.data })),
        });
        onDone?.();
      }
      return receipts;
    }
    const bySender = new Map<string, number[]>();
    jobs.forEach((job, i) => {
      const key = job.sender.address;
      bySender.set(key, [...(bySender.get(key) ?? []), i]);
    });
    await Promise.all(
      [...bySender.values()].map(async (indexes) => {
        for (const i of indexes) {
          hashes[i] = await this.sendOne(jobs[i]);
          // A live network's mempool takes queued nonces; a dev node under automine has mined it already.
          if (this.hre.network.live) continue;
          onDone?.();
        }
      }),
    );
    const receipts: PipelineReceipt[] = [];
    for (let i = 0; i < hashes.length; i += 100) {
      const chunk = await this.receipts(hashes.slice(i, i + 100));
      receipts.push(...chunk);
      if (this.hre.network.live) chunk.forEach(() => onDone?.());
    }
    return receipts;
  }

  private async prepare(jobs: readonly PipelineJob[]): Promise<void> {
    this.chainId ??= BigInt((await this.request("eth_chainId", [])) as string);
    // One fee for the whole batch, with room for the base fee to rise (EIP-1559: at most 12.5% a block).
    const block = (await this.request("eth_getBlockByNumber", ["latest", false])) as { baseFeePerGas?: string };
    const base = BigInt(block.baseFeePerGas ?? "0");
    const tip = this.hre.network.live ? 1_000_000_000n : 1n;
    this.fee = { maxFeePerGas: base * 3n + tip, maxPriorityFeePerGas: tip };
    // Nonces are read afresh for every run: a sender may have sent through another client since (a shop's
    // redemption through ethers, say).
    const senders = [...new Set(jobs.map((j) => j.sender.address))];
    await Promise.all(
      senders.map(async (sender) => {
        const count = (await this.request("eth_getTransactionCount", [sender, "pending"])) as string;
        this.nonces.set(sender, Number(BigInt(count)));
      }),
    );
  }

  private async sendOne(job: PipelineJob): Promise<string> {
    const nonce = this.nonces.get(job.sender.address) ?? 0;
    this.nonces.set(job.sender.address, nonce + 1);
    const tx = Transaction.from({
      type: 2,
      chainId: this.chainId,
      nonce,
      to: job.to,
      data: job.data,
      gasLimit: job.gasLimit,
      maxFeePerGas: this.fee?.maxFeePerGas,
      maxPriorityFeePerGas: this.fee?.maxPriorityFeePerGas,
      value: 0n,
    });
    tx.signature = job.sender.signingKey.sign(tx.unsignedHash);
    try {
      return (await this.request("eth_sendRawTransaction", [tx.serialized])) as string;
    } catch (error: unknown) {
      // Under automine a reverted transaction is still mined; a node that refuses it outright (anvil may, with
      // eth_sendRawTransaction's simulation) has not used the nonce.
      this.nonces.set(job.sender.address, nonce);
      throw error;
    }
  }

  private async receipts(hashes: readonly string[]): Promise<PipelineReceipt[]> {
    return Promise.all(
      hashes.map(async (hash) => {
        for (let attempt = 0; ; attempt++) {
          const raw = (await this.request("eth_getTransactionReceipt", [hash])) as RawReceipt | null;
          if (raw && (await this.confirmed(raw))) {
            return {
              hash,
              status: Number(BigInt(raw.status)),
              gasUsed: BigInt(raw.gasUsed),
              logs: raw.logs,
            };
          }
          if (attempt > 600) throw new Error(`transaction ${hash} not mined after 10 minutes`);
          await new Promise((resolve) => setTimeout(resolve, this.hre.network.live ? 1_000 : 20));
        }
      }),
    );
  }

  private async confirmed(raw: RawReceipt & { blockNumber?: string }): Promise<boolean> {
    if (this.confirmations <= 1 || raw.blockNumber === undefined) return true;
    const head = BigInt((await this.request("eth_blockNumber", [])) as string);
    return head - BigInt(raw.blockNumber) + 1n >= BigInt(this.confirmations);
  }
}
