// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title IERC3009
/// @notice EIP-3009 "Transfer With Authorization": payments signed off-chain by the payer and submitted by anyone
/// (a shop's terminal, a relayer). Nonces are random 32-byte values chosen by the signer, not a counter, so many
/// authorizations can be outstanding at once. Signatures follow EIP-712 with this token's domain.
/// @dev The `bytes signature` overloads accept both 65-byte ECDSA signatures and ERC-1271 contract-wallet signatures,
/// as Circle's FiatToken v2.2 does; the `v, r, s` forms accept ECDSA signatures from externally owned accounts only.
interface IERC3009 {
    /// @notice Emitted when an authorization is used to move tokens.
    /// @param authorizer The payer that signed.
    /// @param nonce The authorization's nonce, now spent.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);

    /// @notice Emitted when an authorizer cancels an unused authorization.
    /// @param authorizer The payer that signed the cancellation.
    /// @param nonce The cancelled authorization's nonce, now spent.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    /// @notice Tells whether `nonce` of `authorizer` has been used or cancelled.
    /// @param authorizer The signer of the authorization.
    /// @param nonce The authorization's nonce.
    /// @return True once the nonce is spent.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);

    /// @notice Moves `value` from `from` to `to` on the strength of `from`'s signature; anyone may submit it.
    /// @dev Requirements: `validAfter < block.timestamp < validBefore`; `nonce` unused; signature by `from` over
    /// `TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,
    /// bytes32 nonce)`; every rule of an ordinary transfer. Emits {AuthorizationUsed} and {IERC20-Transfer}.
    /// @param from Payer and signer.
    /// @param to Payee.
    /// @param value Amount in the token's smallest unit.
    /// @param validAfter Unix time after which the authorization is valid.
    /// @param validBefore Unix time before which the authorization is valid.
    /// @param nonce Unique 32-byte nonce chosen by the payer.
    /// @param v ECDSA signature `v`.
    /// @param r ECDSA signature `r`.
    /// @param s ECDSA signature `s`.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice As {transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)},
    /// with a packed ECDSA signature or an ERC-1271 contract-wallet signature.
    /// @param from Payer and signer.
    /// @param to Payee.
    /// @param value Amount in the token's smallest unit.
    /// @param validAfter Unix time after which the authorization is valid.
    /// @param validBefore Unix time before which the authorization is valid.
    /// @param nonce Unique 32-byte nonce chosen by the payer.
    /// @param signature 65-byte `r || s || v`, or whatever `from`'s ERC-1271 wallet accepts.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Like {transferWithAuthorization} but only the payee may submit it, so a third party watching the
    /// mempool cannot front-run the payee's own call (e.g. one that also records an invoice).
    /// @dev Requirements: `msg.sender == to`; signature over the `ReceiveWithAuthorization` type, otherwise as
    /// {transferWithAuthorization}. Emits {AuthorizationUsed} and {IERC20-Transfer}.
    /// @param from Payer and signer.
    /// @param to Payee; must be the caller.
    /// @param value Amount in the token's smallest unit.
    /// @param validAfter Unix time after which the authorization is valid.
    /// @param validBefore Unix time before which the authorization is valid.
    /// @param nonce Unique 32-byte nonce chosen by the payer.
    /// @param v ECDSA signature `v`.
    /// @param r ECDSA signature `r`.
    /// @param s ECDSA signature `s`.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice As {receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)},
    /// with a packed ECDSA signature or an ERC-1271 contract-wallet signature.
    /// @param from Payer and signer.
    /// @param to Payee; must be the caller.
    /// @param value Amount in the token's smallest unit.
    /// @param validAfter Unix time after which the authorization is valid.
    /// @param validBefore Unix time before which the authorization is valid.
    /// @param nonce Unique 32-byte nonce chosen by the payer.
    /// @param signature 65-byte `r || s || v`, or whatever `from`'s ERC-1271 wallet accepts.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Cancels an unused authorization so it can never be used.
    /// @dev Requirements: `nonce` unused; signature by `authorizer` over
    /// `CancelAuthorization(address authorizer,bytes32 nonce)`. Emits {AuthorizationCanceled}.
    /// @param authorizer The payer that signed the authorization being cancelled.
    /// @param nonce Its nonce.
    /// @param v ECDSA signature `v`.
    /// @param r ECDSA signature `r`.
    /// @param s ECDSA signature `s`.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice As {cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)}, with a packed ECDSA signature or an
    /// ERC-1271 contract-wallet signature.
    /// @param authorizer The payer that signed the authorization being cancelled.
    /// @param nonce Its nonce.
    /// @param signature 65-byte `r || s || v`, or whatever `authorizer`'s ERC-1271 wallet accepts.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external;
}
