// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1363Receiver} from "@openzeppelin/contracts/interfaces/IERC1363Receiver.sol";
import {IERC1363Spender} from "@openzeppelin/contracts/interfaces/IERC1363Spender.sol";

/// @title ERC1363ReceiverMock
/// @notice Test-only ERC-1363 receiver and spender: records each callback and accepts, or answers wrongly when told to.
contract ERC1363ReceiverMock is IERC1363Receiver, IERC1363Spender {
    /// @notice Emitted for each transfer callback.
    event Received(address operator, address from, uint256 value, bytes data);
    /// @notice Emitted for each approval callback.
    event Approved(address owner, uint256 value, bytes data);

    bool private _reject;

    /// @notice Makes later callbacks answer with a wrong selector.
    /// @param reject True to reject.
    function setReject(bool reject) external {
        _reject = reject;
    }

    /// @inheritdoc IERC1363Receiver
    function onTransferReceived(
        address operator,
        address from,
        uint256 value,
        bytes calldata data
    ) external returns (bytes4) {
        emit Received(operator, from, value, data);
        return _reject ? bytes4(0xdeadbeef) : this.onTransferReceived.selector;
    }

    /// @inheritdoc IERC1363Spender
    function onApprovalReceived(address owner, uint256 value, bytes calldata data) external returns (bytes4) {
        emit Approved(owner, value, data);
        return _reject ? bytes4(0xdeadbeef) : this.onApprovalReceived.selector;
    }
}
