// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC1363} from "@openzeppelin/contracts/token/ERC20/extensions/ERC1363.sol";

/// @title FeeOnTransferTokenMock
/// @notice Test-only underlying that credits less than it reports: every transfer burns a fee, yet ERC-1363's
/// callback and the caller both see the full amount. The failure mode of OpenZeppelin's ERC20Wrapper that the
/// stablecoin must not repeat: it has to mint what arrived, not what was claimed.
contract FeeOnTransferTokenMock is ERC1363 {
    uint256 private _feeBps;

    constructor() ERC20("Fee Tenge", "FKZT") {}

    /// @notice Mints `amount` to `to` (anyone may call: test only).
    /// @param to Recipient.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Sets the fee burnt from every transfer, in basis points (10,000 burns everything).
    /// @param feeBps The fee.
    function setFee(uint256 feeBps) external {
        _feeBps = feeBps;
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) return super._update(from, to, value);
        uint256 fee = (value * _feeBps) / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
