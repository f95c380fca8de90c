import { Signature, TypedDataDomain, TypedDataField, concat, hexlify, randomBytes, toBeHex } from "ethers";
import type { Signer } from "ethers";

/** The subset of the token the signing helpers read: its EIP-5267 domain. */
export interface Eip712Token {
  /**
   * `(fields, name, version, chainId, verifyingContract, salt, extensions)`, read by position: TypeChain names the
   * fields after the contract's return variables (`name_`), so a named `name` would not match the typed token.
   */
  eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]]>;
}

export const PERMIT_TYPES: Record<string, TypedDataField[]> = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

const AUTHORIZATION_FIELDS: TypedDataField[] = [
  { name: "from", type: "address" },
  { name: "to", type: "address" },
  { name: "value", type: "uint256" },
  { name: "validAfter", type: "uint256" },
  { name: "validBefore", type: "uint256" },
  { name: "nonce", type: "bytes32" },
];

export const TRANSFER_WITH_AUTHORIZATION_TYPES: Record<string, TypedDataField[]> = {
  TransferWithAuthorization: AUTHORIZATION_FIELDS,
};
export const RECEIVE_WITH_AUTHORIZATION_TYPES: Record<string, TypedDataField[]> = {
  ReceiveWithAuthorization: AUTHORIZATION_FIELDS,
};
export const CANCEL_AUTHORIZATION_TYPES: Record<string, TypedDataField[]> = {
  CancelAuthorization: [
    { name: "authorizer", type: "address" },
    { name: "nonce", type: "bytes32" },
  ],
};

/* OVERLOADS: the full signatures ethers v6 needs to pick `v, r, s` (EOAs) or packed `bytes` (EOAs, ERC-1271). */

export const PERMIT_VRS = "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)";
export const PERMIT_BYTES = "permit(address,address,uint256,uint256,bytes)";
export const TRANSFER_VRS =
  "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)";
export const TRANSFER_BYTES = "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)";
export const RECEIVE_VRS =
  "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)";
export const RECEIVE_BYTES = "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)";
export const CANCEL_VRS = "cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)";
export const CANCEL_BYTES = "cancelAuthorization(address,bytes32,bytes)";

/** The two ways a signature reaches the token. */
export type SignatureForm = "v, r, s" | "bytes";
export const SIGNATURE_FORMS: readonly SignatureForm[] = ["v, r, s", "bytes"];

/** An EIP-2612 permit as signed by its owner. */
export interface PermitArgs {
  owner: string;
  spender: string;
  value: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** The trailing arguments of a `v, r, s` overload, and of a `bytes` one. */
type VrsTail = [v: number, r: string, s: string];
type BytesTail = [signature: string];
type PermitHead = [owner: string, spender: string, value: bigint, deadline: bigint];
type AuthorizationHead = [
  from: string,
  to: string,
  value: bigint,
  validAfter: bigint,
  validBefore: bigint,
  nonce: string,
];
type CancelHead = [authorizer: string, nonce: string];

function signatureTail(form: "v, r, s", sig: SplitSignature): VrsTail;
function signatureTail(form: SignatureForm, sig: SplitSignature): VrsTail | BytesTail;
function signatureTail(form: SignatureForm, sig: SplitSignature): VrsTail | BytesTail {
  return form === "bytes" ? [sig.serialized] : [sig.v, sig.r, sig.s];
}

/** Arguments of `permit` in `form`, typed for the overload (spread them into `getFunction(PERMIT_VRS)`, say). */
export function permitArgs(form: "v, r, s", p: PermitArgs, sig: SplitSignature): [...PermitHead, ...VrsTail];
export function permitArgs(
  form: SignatureForm,
  p: PermitArgs,
  sig: SplitSignature,
): [...PermitHead, ...VrsTail] | [...PermitHead, ...BytesTail];
export function permitArgs(
  form: SignatureForm,
  p: PermitArgs,
  sig: SplitSignature,
): [...PermitHead, ...VrsTail] | [...PermitHead, ...BytesTail] {
  return [p.owner, p.spender, p.value, p.deadline, ...signatureTail(form, sig)];
}

/** Arguments of `transferWithAuthorization` or `receiveWithAuthorization` in `form`, typed for the overload. */
export function authorizationArgs(
  form: "v, r, s",
  a: Authorization,
  sig: SplitSignature,
): [...AuthorizationHead, ...VrsTail];
export function authorizationArgs(
  form: SignatureForm,
  a: Authorization,
  sig: SplitSignature,
): [...AuthorizationHead, ...VrsTail] | [...AuthorizationHead, ...BytesTail];
export function authorizationArgs(
  form: SignatureForm,
  a: Authorization,
  sig: SplitSignature,
): [...AuthorizationHead, ...VrsTail] | [...AuthorizationHead, ...BytesTail] {
  return [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, ...signatureTail(form, sig)];
}

/** Arguments of `cancelAuthorization` in `form`, typed for the overload. */
export function cancelArgs(
  form: "v, r, s",
  authorizer: string,
  nonce: string,
  sig: SplitSignature,
): [...CancelHead, ...VrsTail];
export function cancelArgs(
  form: SignatureForm,
  authorizer: string,
  nonce: string,
  sig: SplitSignature,
): [...CancelHead, ...VrsTail] | [...CancelHead, ...BytesTail];
export function cancelArgs(
  form: SignatureForm,
  authorizer: string,
  nonce: string,
  sig: SplitSignature,
): [...CancelHead, ...VrsTail] | [...CancelHead, ...BytesTail] {
  return [authorizer, nonce, ...signatureTail(form, sig)];
}

/** Reads the token's EIP-712 domain from the chain (EIP-5267), so signatures match what the contract checks. */
export async function domainOf(token: Eip712Token): Promise<TypedDataDomain> {
  const [, name, version, chainId, verifyingContract] = await token.eip712Domain();
  return { name, version, chainId, verifyingContract };
}

/** An EIP-3009 authorization as signed by its payer. */
export interface Authorization {
  from: string;
  to: string;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: string;
}

/** A signature in both the `v, r, s` and the packed 65-byte form. */
export interface SplitSignature {
  v: number;
  r: string;
  s: string;
  serialized: string;
}

function split(signature: string): SplitSignature {
  const sig = Signature.from(signature);
  return { v: sig.v, r: sig.r, s: sig.s, serialized: sig.serialized };
}

/** A fresh random 32-byte EIP-3009 nonce. */
export function randomNonce(): string {
  return hexlify(randomBytes(32));
}

/** Signs an EIP-2612 permit. */
export async function signPermit(
  signer: Signer,
  domain: TypedDataDomain,
  permit: { owner: string; spender: string; value: bigint; nonce: bigint; deadline: bigint },
): Promise<SplitSignature> {
  return split(await signer.signTypedData(domain, PERMIT_TYPES, permit));
}

/** Signs an EIP-3009 TransferWithAuthorization (or ReceiveWithAuthorization when `receive` is true). */
export async function signAuthorization(
  signer: Signer,
  domain: TypedDataDomain,
  authorization: Authorization,
  receive = false,
): Promise<SplitSignature> {
  const types = receive ? RECEIVE_WITH_AUTHORIZATION_TYPES : TRANSFER_WITH_AUTHORIZATION_TYPES;
  return split(await signer.signTypedData(domain, types, authorization));
}

/** Signs an EIP-3009 CancelAuthorization. */
export async function signCancellation(
  signer: Signer,
  domain: TypedDataDomain,
  cancellation: { authorizer: string; nonce: string },
): Promise<SplitSignature> {
  return split(await signer.signTypedData(domain, CANCEL_AUTHORIZATION_TYPES, cancellation));
}

/** Order of the secp256k1 group. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * The malleable twin of a signature: `s' = n - s` with `v` flipped. Plain `ecrecover` returns the same signer for
 * it; OpenZeppelin's ECDSA (and so the token) refuses it because `s'` is in the upper half of the curve order.
 */
export function malleableTwin(signature: SplitSignature): SplitSignature {
  const s = toBeHex(SECP256K1_N - BigInt(signature.s), 32);
  const v = signature.v === 27 ? 28 : 27;
  return { v, r: signature.r, s, serialized: concat([signature.r, s, toBeHex(v, 1)]) };
}
