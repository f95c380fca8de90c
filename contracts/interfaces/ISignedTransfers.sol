// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IERC3009} from "./IERC3009.sol";

/// @title ISignedTransfers
/// @notice Errors of the one-signature payment module shared by the suite's tokens (EIP-2612 and EIP-3009).
interface ISignedTransfers is IERC3009 {
    /// @notice Thrown when a signature is not `expectedSigner`'s (wrong key, malformed, or a malleable high-s twin).
    error SignedTransfersInvalidSignature(address expectedSigner);
    /// @notice Thrown when a permit's deadline has passed.
    error SignedTransfersPermitExpired(uint256 deadline);
    /// @notice Thrown when an authorization is used at or before `validAfter`.
    error SignedTransfersNotYetValid(uint256 validAfter);
    /// @notice Thrown when an authorization is used at or after `validBefore`.
    error SignedTransfersExpired(uint256 validBefore);
    /// @notice Thrown when an authorization's nonce was used or cancelled.
    error SignedTransfersNonceUsed(address authorizer, bytes32 nonce);
    /// @notice Thrown when {IERC3009-receiveWithAuthorization} is called by someone other than the payee.
    error SignedTransfersCallerNotPayee(address caller, address payee);
}
