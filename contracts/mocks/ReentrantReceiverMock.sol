// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1363Receiver} from "@openzeppelin/contracts/interfaces/IERC1363Receiver.sol";

/// @title ReentrantReceiverMock
/// @notice Test-only hostile ERC-1363 receiver: on every transfer callback it calls a configured target with
/// configured calldata (a re-entry into the token, the stablecoin, the escrow or the desk), then either swallows the
/// outcome and accepts, or bubbles the inner revert up.
contract ReentrantReceiverMock is IERC1363Receiver {
    /// @notice Emitted after each re-entry attempt, with what the inner call returned or reverted with.
    event ReentryAttempted(address target, bool success, bytes returned);

    address private _target;
    bytes private _data;
    bool private _bubble;

    /// @notice Sets the call made from inside the next callbacks.
    /// @param target Contract to call back (address(0) for none).
    /// @param data Calldata of the re-entry.
    /// @param bubble True to revert with the inner call's revert data when it fails.
    function setAttack(address target, bytes calldata data, bool bubble) external {
        _target = target;
        _data = data;
        _bubble = bubble;
    }

    /// @notice Makes an arbitrary call as this contract (to approve, transfer or withdraw outside a callback).
    /// @param target Contract to call.
    /// @param data Calldata.
    function execute(address target, bytes calldata data) external {
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, bytes memory returned) = target.call(data);
        if (!success) {
            assembly ("memory-safe") {
                revert(add(returned, 32), mload(returned))
            }
        }
    }

    /// @inheritdoc IERC1363Receiver
    function onTransferReceived(address, address, uint256, bytes calldata) external returns (bytes4) {
        if (_target != address(0)) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory returned) = _target.call(_data);
            emit ReentryAttempted(_target, success, returned);
            if (!success && _bubble) {
                assembly ("memory-safe") {
                    revert(add(returned, 32), mload(returned))
                }
            }
        }
        return this.onTransferReceived.selector;
    }
}
