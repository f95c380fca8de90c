// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title BaselineERC20
/// @notice Plain OpenZeppelin ERC-20 + ERC-2612, no proxy: the gas baseline every benchmark ratio is measured against.
/// @dev Test and benchmark only; never deployed by `deploy/`. Open mint so the bench can seed balances.
contract BaselineERC20 is ERC20, ERC20Permit {
    constructor() ERC20("Baseline", "BASE") ERC20Permit("Baseline") {}

    /// @notice Mints `amount` to `to` (anyone may call: benchmark only).
    /// @param to Recipient.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Mints to many recipients in one transaction, OpenZeppelin's loop over `_mint`.
    /// @param to Recipients.
    /// @param amounts Amounts.
    function mintBatch(address[] calldata to, uint256[] calldata amounts) external {
        // The baseline keeps the plain loop it is measured as.
        // solhint-disable-next-line gas-length-in-loops
        for (uint256 i; i < to.length; ++i) {
            _mint(to[i], amounts[i]);
        }
    }

    /// @notice Burns `amount` of the caller's tokens.
    /// @param amount Amount.
    function burn(uint256 amount) external {
        _burn(msg.sender, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 2;
    }
}
