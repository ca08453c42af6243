// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {SignedCalls} from "./SignedCalls.sol";

/**
 * @title RoleControl
 * @notice An owner (two-step transfers: the new owner accepts) plus per-account roles (bits of {Role}), every check on `_msgSender()` so that a role holder's
 * EIP-712 signed call relayed by anyone ({SignedCalls.executeSigned}) acts exactly as the holder's own transaction.
 * The owner grants and revokes roles; T-REX's `addAgent` / `removeAgent` / `isAgent` remain, meaning "every agent
 * role of this contract".
 *
 * Clones: a contract constructed with owner 0 is a template (it has no owner and can never be initialised); its
 * ERC-1167 clones are initialised once by the inheritor's `initialize`, which calls {_initializeClone}. A renounced
 * ownership does not reopen initialisation (the flag is separate from the owner).
 *
 * @dev Storage: Ownable's owner (slot 0), Ownable2Step's pending owner (slot 1), the role mapping (slot 2); the
 * "initialised" flag and the signed-call nonces live at ERC-7201 slots.
 */
abstract contract RoleControl is Ownable2Step, SignedCalls {
    /// @custom:storage-location erc7201:masque.storage.RoleControl
    struct RoleControlStorage {
        bool initialized;
    }

    // keccak256(abi.encode(uint256(keccak256("masque.storage.RoleControl")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x92212fdeac3b44a375a6936d4662a30f6f4203fad485b35332934ab5ee5ae500;

    /// @dev This contract's own address at construction: clones run its code elsewhere, so `initialize` can refuse
    /// the template and every directly deployed contract without a storage flag on them.
    address private immutable _self;

    mapping(address account => uint256 roles) private _roles;

    /// @notice `account` now also holds `roles` (bits of {Role}).
    event RolesGranted(address indexed account, uint256 roles);
    /// @notice `account` no longer holds `roles`.
    event RolesRevoked(address indexed account, uint256 roles);
    /// @notice `agent` went from no agent role to at least one (T-REX AgentRole event).
    event AgentAdded(address indexed agent);
    /// @notice `agent` lost its last agent role (T-REX AgentRole event).
    event AgentRemoved(address indexed agent);

    /// @notice `account` lacks `role` (a bit of {Role}), which this function requires.
    error MissingRole(address account, uint256 role);
    /// @notice This contract has no such roles: `roles` are the unsupported bits.
    error RolesNotSupported(uint256 roles);
    /// @notice `account` holds none of `roles`.
    error RolesNotHeld(address account, uint256 roles);
    /// @notice An empty role set.
    error NoRoles();
    /// @notice A required address argument is zero.
    error ZeroAddress();
    /// @notice `account` holds every agent role already.
    error AgentAlreadyAdded(address account);
    /// @notice `account` holds no agent role.
    error AgentNotFound(address account);
    /// @notice `initialize` on a contract that is not a fresh clone.
    error AlreadyInitialized();
    /// @notice Initial role holders and their roles differ in length.
    error RoleListMismatch();

    modifier onlyRole(uint256 role) {
        _checkRole(role);
        _;
    }

    modifier onlyOwnerOrRole(uint256 role) {
        _checkOwnerOrRole(role);
        _;
    }

    /// @param initialOwner The owner; 0 makes this contract a template for clones (no owner, never initialisable).
    constructor(address initialOwner) Ownable(initialOwner == address(0) ? msg.sender : initialOwner) {
        _self = address(this);
        if (initialOwner == address(0)) _transferOwnership(address(0));
    }

    // ---------------------------------------------------------------- role management (owner)

    /// @notice Grants `roles` (bits of {Role} this contract supports) to `account`.
    function grantRoles(address account, uint256 roles) external onlyOwner {
        _grantRoles(account, roles);
    }

    /// @notice Revokes `roles` from `account`; bits it does not hold are ignored, but it must hold one of them.
    function revokeRoles(address account, uint256 roles) external onlyOwner {
        if (roles == 0) revert NoRoles();
        if (_roles[account] & roles == 0) revert RolesNotHeld(account, roles);
        _revokeRoles(account, roles);
    }

    /// @notice Grants every agent role of this contract (T-REX `addAgent`).
    function addAgent(address agent) external onlyOwner {
        uint256 agentRoles = _agentRoles();
        if (agentRoles == 0) revert NoRoles();
        if (_roles[agent] & agentRoles == agentRoles) revert AgentAlreadyAdded(agent);
        _grantRoles(agent, agentRoles);
    }

    /// @notice Revokes every agent role of this contract (T-REX `removeAgent`).
    function removeAgent(address agent) external onlyOwner {
        if (_roles[agent] & _agentRoles() == 0) revert AgentNotFound(agent);
        _revokeRoles(agent, _agentRoles());
    }

    // ---------------------------------------------------------------- views

    /// @notice Whether `account` holds any agent role of this contract.
    function isAgent(address account) public view returns (bool) {
        return _roles[account] & _agentRoles() != 0;
    }

    /// @notice Every role bit `account` holds here.
    function rolesOf(address account) external view returns (uint256) {
        return _roles[account];
    }

    /// @notice Whether `account` holds every bit of `roles`.
    function hasRoles(address account, uint256 roles) public view returns (bool) {
        return roles != 0 && _roles[account] & roles == roles;
    }

    /// @notice The role bits this contract honours: agent roles, then the owner roles it delegates.
    function supportedRoles() external pure returns (uint256 agentRoles, uint256 ownerRoles) {
        return (_agentRoles(), _ownerRoles());
    }

    // ---------------------------------------------------------------- for inheritors

    /// @dev The agent roles `addAgent` grants and `isAgent` looks for.
    function _agentRoles() internal pure virtual returns (uint256);

    /// @dev The owner roles this contract lets the owner delegate (0: none).
    function _ownerRoles() internal pure virtual returns (uint256) {
        return 0;
    }

    function _checkRole(uint256 role) internal view {
        address sender = _msgSender();
        if (_roles[sender] & role == 0) revert MissingRole(sender, role);
    }

    function _checkOwnerOrRole(uint256 role) internal view {
        address sender = _msgSender();
        if (sender != owner() && _roles[sender] & role == 0) revert MissingRole(sender, role);
    }

    function _grantRoles(address account, uint256 roles) internal {
        if (account == address(0)) revert ZeroAddress();
        if (roles == 0) revert NoRoles();
        uint256 unsupported = roles & ~(_agentRoles() | _ownerRoles());
        if (unsupported != 0) revert RolesNotSupported(unsupported);
        uint256 before = _roles[account];
        _roles[account] = before | roles;
        emit RolesGranted(account, roles);
        if (before & _agentRoles() == 0 && roles & _agentRoles() != 0) emit AgentAdded(account);
    }

    function _revokeRoles(address account, uint256 roles) internal {
        uint256 before = _roles[account];
        uint256 remaining = before & ~roles;
        _roles[account] = remaining;
        emit RolesRevoked(account, before & roles);
        if (before & _agentRoles() != 0 && remaining & _agentRoles() == 0) emit AgentRemoved(account);
    }

    /// @dev The signer of a relayed signed call, else the caller: what every role and owner check sees.
    function _msgSender() internal view virtual override(Context, SignedCalls) returns (address) {
        return SignedCalls._msgSender();
    }

    function _msgData() internal view virtual override(Context, SignedCalls) returns (bytes calldata) {
        return SignedCalls._msgData();
    }

    function _contextSuffixLength() internal view virtual override(Context, SignedCalls) returns (uint256) {
        return SignedCalls._contextSuffixLength();
    }

    /// @dev Makes a fresh clone of a template owned by `owner_`; callable once, never on the template itself nor on
    /// a directly deployed contract. Inheritors call it first in their `initialize`.
    function _initializeClone(address owner_) internal {
        RoleControlStorage storage $ = _roleControlStorage();
        if (address(this) == _self || $.initialized) revert AlreadyInitialized();
        if (owner_ == address(0)) revert OwnableInvalidOwner(address(0));
        $.initialized = true;
        _transferOwnership(owner_);
    }

    /// @dev Grants `roles[i]` to `accounts[i]` (clone initialisation).
    function _grantInitialRoles(address[] calldata accounts, uint256[] calldata roles) internal {
        if (accounts.length != roles.length) revert RoleListMismatch();
        for (uint256 i; i < accounts.length; ++i) {
            _grantRoles(accounts[i], roles[i]);
        }
    }

    function _roleControlStorage() private pure returns (RoleControlStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_SLOT
        }
    }
}
