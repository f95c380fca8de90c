import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { AddressLike, BaseContract, BytesLike, ContractTransactionResponse } from "ethers";
import {
  CANCEL_BYTES,
  CANCEL_VRS,
  PERMIT_BYTES,
  PERMIT_VRS,
  RECEIVE_BYTES,
  RECEIVE_VRS,
  TRANSFER_BYTES,
  TRANSFER_VRS,
  domainOf,
  randomNonce,
  signAuthorization,
  signCancellation,
  signPermit,
  SIGNATURE_FORMS,
  authorizationArgs,
  cancelArgs,
  permitArgs,
  type Authorization,
  type Eip712Token,
  type PermitArgs,
  type SignatureForm,
  type SplitSignature,
} from "../../scripts/lib/eip712";

/*
 * The one-signature functions every token of the suite takes from `SignedTransfers` (EIP-2612 permit, EIP-3009
 * transfer/receive/cancel), each in two overloads: split ECDSA `v, r, s` (externally owned accounts only) and packed
 * `bytes` (EOAs and ERC-1271 wallets). ethers v6 needs the full signature to pick an overload (scripts/lib/eip712.ts
 * names them); the helpers below call either form of any of the three tokens, and the access tests share one set of
 * cases for them.
 */

/** The parts of a suite token the shared helpers read, besides its overloads. */
export type SignedToken = BaseContract &
  Eip712Token & {
    allowance(owner: AddressLike, spender: AddressLike): Promise<bigint>;
    authorizationState(authorizer: AddressLike, nonce: BytesLike): Promise<boolean>;
    balanceOf(account: AddressLike): Promise<bigint>;
  };

function send(token: BaseContract, signature: string, args: unknown[]): Promise<ContractTransactionResponse> {
  return token.getFunction(signature)(...args) as Promise<ContractTransactionResponse>;
}

/** Sends `permit` in `form` (from whoever `token` is connected as). */
export function permitWith(
  token: BaseContract,
  form: SignatureForm,
  p: PermitArgs,
  sig: SplitSignature,
): Promise<ContractTransactionResponse> {
  return send(token, form === "bytes" ? PERMIT_BYTES : PERMIT_VRS, permitArgs(form, p, sig));
}

/** Sends `transferWithAuthorization` (or `receiveWithAuthorization` when `receive`) in `form`. */
export function authorizationWith(
  token: BaseContract,
  form: SignatureForm,
  receive: boolean,
  a: Authorization,
  sig: SplitSignature,
): Promise<ContractTransactionResponse> {
  const signature = receive
    ? form === "bytes"
      ? RECEIVE_BYTES
      : RECEIVE_VRS
    : form === "bytes"
      ? TRANSFER_BYTES
      : TRANSFER_VRS;
  return send(token, signature, authorizationArgs(form, a, sig));
}

/** Sends `cancelAuthorization` in `form`. */
export function cancelWith(
  token: BaseContract,
  form: SignatureForm,
  authorizer: string,
  nonce: string,
  sig: SplitSignature,
): Promise<ContractTransactionResponse> {
  return send(token, form === "bytes" ? CANCEL_BYTES : CANCEL_VRS, cancelArgs(form, authorizer, nonce, sig));
}

/** An authorization valid from the epoch until an hour from now, with a fresh random nonce. */
export async function authorization(from: string, to: string, value: bigint): Promise<Authorization> {
  return { from, to, value, validAfter: 0n, validBefore: BigInt(await time.latest()) + 3600n, nonce: randomNonce() };
}

/** Everything one owner signs for the access tests, valid until `deadline`. */
export interface SignedMaterial {
  permit: PermitArgs;
  permitSig: SplitSignature;
  auth: Authorization;
  transferSig: SplitSignature;
  receiveSig: SplitSignature;
  cancelNonce: string;
  cancelSig: SplitSignature;
}

/**
 * `owner`'s first permit of `value` to `spender`, a transfer and a receive authorization of `value` to `spender`
 * (one nonce), and the cancellation of another nonce, all in `token`'s domain and valid until `deadline`.
 */
export async function signMaterial(
  token: Eip712Token,
  owner: HardhatEthersSigner,
  spender: string,
  value: bigint,
  deadline: bigint,
): Promise<SignedMaterial> {
  const domain = await domainOf(token);
  const permit = { owner: owner.address, spender, value, nonce: 0n, deadline };
  const auth = { from: owner.address, to: spender, value, validAfter: 0n, validBefore: deadline, nonce: randomNonce() };
  const cancelNonce = randomNonce();
  return {
    permit,
    permitSig: await signPermit(owner, domain, permit),
    auth,
    transferSig: await signAuthorization(owner, domain, auth),
    receiveSig: await signAuthorization(owner, domain, auth, true),
    cancelNonce,
    cancelSig: await signCancellation(owner, domain, { authorizer: owner.address, nonce: cancelNonce }),
  };
}

/** Who the shared access cases act as: the owner signed `signed` for the spender; the relayer submits it. */
export interface SignedParties {
  token: SignedToken;
  owner: HardhatEthersSigner;
  spender: HardhatEthersSigner;
  relayer: HardhatEthersSigner;
  signed: SignedMaterial;
}

/**
 * The access cases of the signed functions anyone may submit (permit, transferWithAuthorization,
 * cancelAuthorization, both forms each): a relayer submits the owner's signature and the effect is checked.
 * `receiveWithAuthorization` is not among them: only its payee may submit it ({@link receiveArgs}).
 */
export function signedOpenCases<Ctx>(
  parties: (ctx: Ctx) => SignedParties,
): Record<string, (ctx: Ctx) => Promise<void>> {
  const cases: Record<string, (ctx: Ctx) => Promise<void>> = {};
  for (const form of SIGNATURE_FORMS) {
    const bytes = form === "bytes";
    cases[bytes ? PERMIT_BYTES : PERMIT_VRS] = async (ctx) => {
      const { token, owner, spender, relayer, signed } = parties(ctx);
      await permitWith(token.connect(relayer), form, signed.permit, signed.permitSig);
      expect(await token.allowance(owner, spender)).to.equal(signed.permit.value);
    };
    cases[bytes ? TRANSFER_BYTES : TRANSFER_VRS] = async (ctx) => {
      const { token, owner, spender, relayer, signed } = parties(ctx);
      const { value } = signed.auth;
      await expect(
        authorizationWith(token.connect(relayer), form, false, signed.auth, signed.transferSig),
      ).to.changeTokenBalances(token, [owner, spender], [-value, value]);
    };
    cases[bytes ? CANCEL_BYTES : CANCEL_VRS] = async (ctx) => {
      const { token, owner, relayer, signed } = parties(ctx);
      await cancelWith(token.connect(relayer), form, owner.address, signed.cancelNonce, signed.cancelSig);
      expect(await token.authorizationState(owner, signed.cancelNonce)).to.equal(true);
    };
  }
  return cases;
}

/** Arguments of the owner's `receiveWithAuthorization` in `form`, which only the payee may submit. */
export function receiveArgs(form: SignatureForm, signed: SignedMaterial): unknown[] {
  return authorizationArgs(form, signed.auth, signed.receiveSig);
}
