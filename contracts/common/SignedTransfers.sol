// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ShortString, ShortStrings} from "@openzeppelin/contracts/utils/ShortStrings.sol";
import {IERC3009} from "../interfaces/IERC3009.sol";
import {ISignedTransfers} from "../interfaces/ISignedTransfers.sol";

/// @title SignedTransfers
/// @notice One-signature payments for any token of the suite: EIP-2612 permit, EIP-3009 authorizations, the EIP-712
/// domain they share (published through EIP-5267) and ERC-1271 signatures of contract wallets.
/// @dev The EIP-712 name is an immutable of the implementation and the domain separator is rebuilt from the live
/// chain id and proxy address on every call: no storage read, and signatures never replay on a fork or on another
/// deployment. An upgrade must keep the same name or outstanding signatures become invalid.
/// Nonces live in their own ERC-7201 namespace, so any token's storage can host this module.
/// If you inherit: implement {_transfer} with every rule of an ordinary payment and {_approve}; every signed path
/// here consumes its nonce before calling them.
/// @custom:oz-upgrades-unsafe-allow constructor
abstract contract SignedTransfers is ISignedTransfers, IERC20Permit, IERC5267 {
    bytes32 private constant _DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 private constant _HASHED_VERSION = keccak256("1");

    /// @notice EIP-2612 permit type hash.
    bytes32 public constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    /// @notice EIP-3009 type hash of {transferWithAuthorization}.
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        // An EIP-712 type string stays whole, to compare with the spec.
        // solhint-disable-next-line max-line-length
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    /// @notice EIP-3009 type hash of {receiveWithAuthorization}.
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        // An EIP-712 type string stays whole, to compare with the spec.
        // solhint-disable-next-line max-line-length
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    /// @notice EIP-3009 type hash of {cancelAuthorization}.
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH = keccak256(
        "CancelAuthorization(address authorizer,bytes32 nonce)"
    );

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ShortString private immutable _name;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable _hashedName;

    /// @custom:storage-location erc7201:digitaltenge.storage.SignedTransfers
    struct SignedTransfersStorage {
        mapping(address owner => uint256 nonce) permitNonces;
        mapping(address authorizer => mapping(bytes32 nonce => bool used)) authorizations;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.SignedTransfers")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _SIGNED_TRANSFERS_LOCATION =
        0xcc2fba6ddeb472512734fb505342b075a704514b492be69dbadd594a67b42800;

    /// @param name_ Token name, also the EIP-712 domain name (at most 31 bytes).
    constructor(string memory name_) {
        _name = ShortStrings.toShortString(name_);
        _hashedName = keccak256(bytes(name_));
    }

    /* EIP-2612 */

    /// @inheritdoc IERC20Permit
    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        _requireEcdsa(owner, _usePermit(owner, spender, value, deadline), v, r, s);
        _approve(owner, spender, value);
    }

    /// @notice EIP-2612 permit with a packed ECDSA signature or an ERC-1271 contract-wallet signature.
    /// @dev Requirements: `block.timestamp <= deadline`; signature by `owner` over the permit with its current
    /// nonce. Emits {IERC20-Approval}.
    /// @param owner Token owner and signer.
    /// @param spender Account allowed to spend.
    /// @param value New allowance in tiyn.
    /// @param deadline Unix time after which the permit is void.
    /// @param signature 65-byte `r || s || v`, or whatever `owner`'s ERC-1271 wallet accepts.
    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        bytes calldata signature
    ) external {
        _requireSignature(owner, _usePermit(owner, spender, value, deadline), signature);
        _approve(owner, spender, value);
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) external view returns (uint256) {
        return _signedTransfers().permitNonces[owner];
    }

    /// @inheritdoc IERC20Permit
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparator();
    }

    /* EIP-3009 */

    /// @inheritdoc IERC3009
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
    ) external {
        bytes32 digest = _useAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce
        );
        _requireEcdsa(from, digest, v, r, s);
        _transfer(from, to, value);
    }

    /// @inheritdoc IERC3009
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        bytes32 digest = _useAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce
        );
        _requireSignature(from, digest, signature);
        _transfer(from, to, value);
    }

    /// @inheritdoc IERC3009
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
    ) external {
        if (to != msg.sender) revert SignedTransfersCallerNotPayee(msg.sender, to);
        bytes32 digest = _useAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce
        );
        _requireEcdsa(from, digest, v, r, s);
        _transfer(from, to, value);
    }

    /// @inheritdoc IERC3009
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        if (to != msg.sender) revert SignedTransfersCallerNotPayee(msg.sender, to);
        bytes32 digest = _useAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce
        );
        _requireSignature(from, digest, signature);
        _transfer(from, to, value);
    }

    /// @inheritdoc IERC3009
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external {
        _requireEcdsa(authorizer, _useCancellation(authorizer, nonce), v, r, s);
    }

    /// @inheritdoc IERC3009
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external {
        _requireSignature(authorizer, _useCancellation(authorizer, nonce), signature);
    }

    /// @inheritdoc IERC3009
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _signedTransfers().authorizations[authorizer][nonce];
    }

    /* EIP-5267 */

    /// @inheritdoc IERC5267
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name_,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", ShortStrings.toString(_name), "1", block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    /* HOOKS */

    /// @dev Moves `value` from `from` to `to` under every rule of an ordinary payment.
    function _transfer(address from, address to, uint256 value) internal virtual;

    /// @dev Sets `spender`'s allowance over `owner`'s tokens and emits {IERC20-Approval}.
    function _approve(address owner, address spender, uint256 value) internal virtual;

    /* INTERNAL */

    function _signedTransfers() private pure returns (SignedTransfersStorage storage $) {
        assembly {
            $.slot := _SIGNED_TRANSFERS_LOCATION
        }
    }

    /// @dev The token's name, which is also its EIP-712 domain name.
    function _tokenName() internal view returns (string memory) {
        return ShortStrings.toString(_name);
    }

    function _domainSeparator() internal view returns (bytes32) {
        return keccak256(abi.encode(_DOMAIN_TYPEHASH, _hashedName, _HASHED_VERSION, block.chainid, address(this)));
    }

    /// @dev Checks the deadline, consumes `owner`'s permit nonce and returns the digest to be signed.
    function _usePermit(address owner, address spender, uint256 value, uint256 deadline) internal returns (bytes32) {
        if (block.timestamp > deadline) revert SignedTransfersPermitExpired(deadline);
        // Post-increment: the permit signs the nonce before it.
        // solhint-disable-next-line gas-increment-by-one
        uint256 nonce = _signedTransfers().permitNonces[owner]++;
        return
            MessageHashUtils.toTypedDataHash(
                _domainSeparator(),
                keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline))
            );
    }

    /// @dev Checks the validity window, consumes the nonce and returns the digest to be signed by `from`.
    function _useAuthorization(
        bytes32 typeHash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) internal returns (bytes32) {
        if (block.timestamp <= validAfter) revert SignedTransfersNotYetValid(validAfter);
        if (block.timestamp >= validBefore) revert SignedTransfersExpired(validBefore);
        _spendAuthorizationNonce(from, nonce);
        emit AuthorizationUsed(from, nonce);
        return
            MessageHashUtils.toTypedDataHash(
                _domainSeparator(),
                keccak256(abi.encode(typeHash, from, to, value, validAfter, validBefore, nonce))
            );
    }

    function _useCancellation(address authorizer, bytes32 nonce) private returns (bytes32) {
        _spendAuthorizationNonce(authorizer, nonce);
        emit AuthorizationCanceled(authorizer, nonce);
        return
            MessageHashUtils.toTypedDataHash(
                _domainSeparator(),
                keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce))
            );
    }

    function _spendAuthorizationNonce(address authorizer, bytes32 nonce) private {
        mapping(bytes32 => bool) storage used = _signedTransfers().authorizations[authorizer];
        if (used[nonce]) revert SignedTransfersNonceUsed(authorizer, nonce);
        used[nonce] = true;
    }

    /// @dev ECDSA only (externally owned accounts); malleable (high-s) and malformed signatures are refused.
    function _requireEcdsa(address signer, bytes32 digest, uint8 v, bytes32 r, bytes32 s) internal pure {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, v, r, s);
        if (err != ECDSA.RecoverError.NoError || recovered != signer) revert SignedTransfersInvalidSignature(signer);
    }

    /// @dev ECDSA for accounts without code, ERC-1271 for contract wallets.
    function _requireSignature(address signer, bytes32 digest, bytes calldata signature) internal view {
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, digest, signature)) {
            revert SignedTransfersInvalidSignature(signer);
        }
    }
}
