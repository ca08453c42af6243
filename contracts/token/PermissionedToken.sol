// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IIdentity} from "../interfaces/IIdentity.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IERC3643, IERC3643Compliance} from "./IERC3643.sol";
import {TransferRefusal, IComplianceRefusal} from "./TransferRefusal.sol";
import {RoleControl} from "../roles/RoleControl.sol";
import {Role} from "../roles/Role.sol";

/**
 * @title PermissionedToken
 * @notice An ERC-3643 security token: every transfer needs a verified sender and receiver (identity registry)
 * and the consent of a modular compliance. The owner wires the registry and compliance and grants roles; agents
 * hold the roles T-REX's AgentManager knows: supply modifiers mint and burn, freezers freeze wallets and tokens and
 * pause, transfer managers force transfers, recovery agents recover lost wallets ({Role}); `addAgent` grants all
 * four. Every write checks the caller's role here, and may come as an EIP-712 signed call relayed by anyone
 * (`executeSigned`): a relayer pays gas and holds no role. Holders may transfer the same way.
 *
 * Refusals revert with a custom error naming the reason (see {TransferRefusal} for the code table);
 * {canTransferReason} returns the same code without reverting. Errors never carry identity data (country, risk,
 * claims): the registry and the modules hold those, the error only says which check failed.
 *
 * @dev Not upgradeable, on purpose: a proxy costs every transfer a delegatecall and, in T-REX's design, an extra
 * call to the implementation authority. Balances, partial freezes and the wallet freeze flag share one storage
 * slot per holder, so a transfer reads each party's state with a single cold SLOAD; this is why the ERC-20 core is
 * written here rather than inherited from OpenZeppelin's ERC20 (whose balances mapping is private). Balances and
 * the total supply are therefore capped at 2^128 - 1 units. Deployable directly (constructor) or as an ERC-1167 clone
 * of a template (TokenFactory; {initialize}), which costs every call one delegatecall.
 */
contract PermissionedToken is IERC3643, IERC20Errors, RoleControl {
    using SafeCast for uint256;

    /// @notice A clone's token information (the constructor's arguments).
    struct TokenInfo {
        string name;
        string symbol;
        uint8 decimals;
        address identityRegistry;
        address compliance;
        address onchainID;
    }

    /// @dev One slot per holder.
    struct Account {
        uint128 balance;
        uint120 frozenTokens;
        bool frozen;
    }

    /// @dev ERC-734 MANAGEMENT purpose: the recovered wallet must be a management key of the investor's identity.
    uint256 private constant MANAGEMENT_PURPOSE = 1;
    string private constant VERSION = "1.0.0";

    // Read together on every transfer, hence declared adjacent so they pack into one slot.
    IIdentityRegistry private _identityRegistry;
    bool private _paused;

    // Storage, not immutable: clones have no immutables of their own. Packed with the compliance, read apart from it.
    IERC3643Compliance private _compliance;
    uint8 private _decimals;
    uint256 private _totalSupply;
    address private _onchainID;
    string private _name;
    string private _symbol;
    mapping(address holder => Account) private _accounts;
    mapping(address holder => mapping(address spender => uint256)) private _allowances;

    /// @notice Name or symbol is empty.
    error EmptyTokenInformation();
    /// @notice Batch arrays differ in length.
    error ArrayLengthMismatch();
    /// @notice The token is paused (code 1).
    error EnforcedPause();
    /// @notice The token is not paused.
    error ExpectedPause();
    /// @notice The sender's wallet is frozen (code 3).
    error SenderFrozen();
    /// @notice The receiver's wallet is frozen (code 4).
    error ReceiverFrozen();
    /// @notice The amount exceeds the sender's balance minus its frozen tokens (code 6).
    error InsufficientUnfrozenBalance();
    /// @notice The sender has no verified identity in the registry (code 7).
    error SenderNotVerified();
    /// @notice The receiver has no verified identity in the registry (code 8).
    error ReceiverNotVerified();
    /// @notice A compliance module refused; `code` is its reason code (9 when the module has none).
    error ComplianceRefused(uint8 code);
    /// @notice The country allow list refused a party (code 10).
    error CountryNotAllowed();
    /// @notice The country restrict list refused a party (code 11).
    error CountryRestricted();
    /// @notice The receiver's identity would exceed the maximum balance (code 12).
    error MaxBalanceExceeded();
    /// @notice A party's risk score is above the maximum (code 13).
    error RiskScoreTooHigh();
    /// @notice Freezing `amount` more would freeze more than the balance.
    error FreezeExceedsBalance();
    /// @notice Unfreezing more than is frozen.
    error UnfreezeExceedsFrozen();
    /// @notice Recovery of a wallet holding no tokens.
    error NothingToRecover();
    /// @notice The new wallet is not a management key of the investor's identity.
    error RecoveryKeyMissing();
    /// @notice The lost wallet, or an already registered new wallet, is not registered to the given identity.
    error IdentityMismatch();
    /// @notice The new wallet is the lost wallet.
    error RecoveryToSameWallet();

    /**
     * @param name_ ERC-20 name.
     * @param symbol_ ERC-20 symbol.
     * @param decimals_ ERC-20 decimals, fixed for the token's life.
     * @param identityRegistry_ The identity registry deciding who is verified.
     * @param compliance_ The modular compliance; this constructor binds the token to it.
     * @param onchainID_ The token's own identity (may be zero and set later).
     * @param initialOwner The owner (the issuer), who grants roles; 0 makes a template for clones (see RoleControl):
     * every other argument is then ignored.
     */
    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        address identityRegistry_,
        address compliance_,
        address onchainID_,
        address initialOwner
    ) RoleControl(initialOwner) {
        if (initialOwner == address(0)) return;
        _setUp(TokenInfo(name_, symbol_, decimals_, identityRegistry_, compliance_, onchainID_));
    }

    /**
     * @notice Sets up a clone of a template (once): `initialOwner` owns it, `accounts[i]` get `roles[i]`. Binds itself
     * to the compliance unless the compliance is bound to it already (TokenFactory initialises the compliance first).
     */
    function initialize(
        address initialOwner, TokenInfo calldata info, address[] calldata accounts, uint256[] calldata roles
    ) external {
        _initializeClone(initialOwner);
        _setUp(info);
        _grantInitialRoles(accounts, roles);
    }

    function _setUp(TokenInfo memory info) private {
        if (bytes(info.name).length == 0 || bytes(info.symbol).length == 0) revert EmptyTokenInformation();
        if (info.identityRegistry == address(0) || info.compliance == address(0)) revert ZeroAddress();
        _name = info.name;
        _symbol = info.symbol;
        _decimals = info.decimals;
        _onchainID = info.onchainID;
        _identityRegistry = IIdentityRegistry(info.identityRegistry);
        emit IdentityRegistryAdded(info.identityRegistry);
        _compliance = IERC3643Compliance(info.compliance);
        if (IERC3643Compliance(info.compliance).getTokenBound() != address(this)) {
            IERC3643Compliance(info.compliance).bindToken(address(this));
        }
        emit ComplianceAdded(info.compliance);
        emit UpdatedTokenInformation(info.name, info.symbol, info.decimals, VERSION, info.onchainID);
    }

    // ---------------------------------------------------------------- ERC-20

    /// @inheritdoc IERC20Metadata
    function name() external view returns (string memory) {
        return _name;
    }

    /// @inheritdoc IERC20Metadata
    function symbol() external view returns (string memory) {
        return _symbol;
    }

    /// @inheritdoc IERC20Metadata
    function decimals() external view returns (uint8) {
        return _decimals;
    }

    /// @inheritdoc IERC20
    function totalSupply() external view returns (uint256) {
        return _totalSupply;
    }

    /// @inheritdoc IERC20
    function balanceOf(address account) external view returns (uint256) {
        return _accounts[account].balance;
    }

    /// @inheritdoc IERC20
    function allowance(address holder, address spender) external view returns (uint256) {
        return _allowances[holder][spender];
    }

    /// @inheritdoc IERC20
    function approve(address spender, uint256 value) external returns (bool) {
        if (spender == address(0)) revert ERC20InvalidSpender(address(0));
        address holder = _msgSender();
        _allowances[holder][spender] = value;
        emit Approval(holder, spender, value);
        return true;
    }

    /// @inheritdoc IERC20
    function transfer(address to, uint256 value) external returns (bool) {
        _checkedTransfer(_msgSender(), to, value);
        return true;
    }

    /// @inheritdoc IERC20
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        address spender = _msgSender();
        uint256 allowed = _allowances[from][spender];
        // An infinite approval stays infinite, as in OpenZeppelin's ERC20, and saves the write.
        if (allowed != type(uint256).max) {
            if (allowed < value) revert ERC20InsufficientAllowance(spender, allowed, value);
            unchecked {
                _allowances[from][spender] = allowed - value;
            }
        }
        _checkedTransfer(from, to, value);
        return true;
    }

    // ---------------------------------------------------------------- transfer checks

    /**
     * @notice The reason code of the first check a transfer of `amount` from `from` to `to` would fail now, or 0
     * (OK); see {TransferRefusal}. Allowances are not considered.
     */
    function canTransferReason(address from, address to, uint256 amount) external view returns (uint8 code) {
        return _refusal(from, to, amount, _accounts[from], _accounts[to], _identityRegistry, _paused);
    }

    function _checkedTransfer(address from, address to, uint256 amount) private {
        Account memory f = _accounts[from];
        uint8 code = _refusal(from, to, amount, f, _accounts[to], _identityRegistry, _paused);
        if (code != TransferRefusal.OK) _revertRefusal(code, from, f.balance, amount);
        _move(from, to, amount, f.balance);
        _compliance.transferred(from, to, amount);
    }

    /// @dev Shared by transfers and {canTransferReason}, so the view and the revert can never disagree.
    function _refusal(
        address from,
        address to,
        uint256 amount,
        Account memory f,
        Account memory t,
        IIdentityRegistry registry,
        bool isPaused
    ) private view returns (uint8) {
        if (isPaused) return TransferRefusal.PAUSED;
        if (to == address(0)) return TransferRefusal.INVALID_RECEIVER;
        if (f.frozen) return TransferRefusal.SENDER_FROZEN;
        if (t.frozen) return TransferRefusal.RECEIVER_FROZEN;
        if (amount > f.balance) return TransferRefusal.INSUFFICIENT_BALANCE;
        if (amount > f.balance - f.frozenTokens) return TransferRefusal.TOKENS_FROZEN;
        if (!registry.isVerified(from)) return TransferRefusal.SENDER_NOT_VERIFIED;
        if (!registry.isVerified(to)) return TransferRefusal.RECEIVER_NOT_VERIFIED;
        return _complianceRefusal(from, to, amount);
    }

    function _complianceRefusal(address from, address to, uint256 amount) private view returns (uint8) {
        IERC3643Compliance c = _compliance;
        if (c.canTransfer(from, to, amount)) return TransferRefusal.OK;
        // Only on the refusal path: ask which module refused. A T-REX compliance has no such view.
        try IComplianceRefusal(address(c)).transferRefusal(from, to, amount) returns (uint8 code, address) {
            return code < TransferRefusal.COMPLIANCE_REFUSED ? TransferRefusal.COMPLIANCE_REFUSED : code;
        } catch {
            return TransferRefusal.COMPLIANCE_REFUSED;
        }
    }

    function _revertRefusal(uint8 code, address from, uint256 balance, uint256 amount) private pure {
        if (code == TransferRefusal.PAUSED) revert EnforcedPause();
        if (code == TransferRefusal.INVALID_RECEIVER) revert ERC20InvalidReceiver(address(0));
        if (code == TransferRefusal.SENDER_FROZEN) revert SenderFrozen();
        if (code == TransferRefusal.RECEIVER_FROZEN) revert ReceiverFrozen();
        if (code == TransferRefusal.INSUFFICIENT_BALANCE) revert ERC20InsufficientBalance(from, balance, amount);
        if (code == TransferRefusal.TOKENS_FROZEN) revert InsufficientUnfrozenBalance();
        if (code == TransferRefusal.SENDER_NOT_VERIFIED) revert SenderNotVerified();
        if (code == TransferRefusal.RECEIVER_NOT_VERIFIED) revert ReceiverNotVerified();
        if (code == TransferRefusal.COUNTRY_NOT_ALLOWED) revert CountryNotAllowed();
        if (code == TransferRefusal.COUNTRY_RESTRICTED) revert CountryRestricted();
        if (code == TransferRefusal.MAX_BALANCE_EXCEEDED) revert MaxBalanceExceeded();
        if (code == TransferRefusal.RISK_SCORE_TOO_HIGH) revert RiskScoreTooHigh();
        revert ComplianceRefused(code);
    }

    /// @dev Caller has checked `amount <= fromBalance`; the supply cap keeps `to`'s balance in range.
    function _move(address from, address to, uint256 amount, uint256 fromBalance) private {
        unchecked {
            _accounts[from].balance = uint128(fromBalance - amount);
            _accounts[to].balance += uint128(amount);
        }
        emit Transfer(from, to, amount);
    }

    /// @dev Frees frozen tokens of `holder` when an agent takes more than its unfrozen balance.
    function _takeFromFrozen(address holder, uint256 amount) private returns (uint256 balance) {
        Account storage a = _accounts[holder];
        balance = a.balance;
        if (amount > balance) revert ERC20InsufficientBalance(holder, balance, amount);
        uint256 free = balance - a.frozenTokens;
        if (amount > free) {
            uint256 released = amount - free;
            a.frozenTokens -= uint120(released);
            emit TokensUnfrozen(holder, released);
        }
    }

    // ---------------------------------------------------------------- agent operations

    /// @inheritdoc IERC3643
    function mint(address to, uint256 amount) public onlyRole(Role.SUPPLY_MODIFIER) {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        if (!_identityRegistry.isVerified(to)) revert ReceiverNotVerified();
        uint8 code = _complianceRefusal(address(0), to, amount);
        if (code != TransferRefusal.OK) _revertRefusal(code, address(0), 0, amount);
        _totalSupply = (_totalSupply + amount).toUint128();
        unchecked {
            _accounts[to].balance += uint128(amount);
        }
        emit Transfer(address(0), to, amount);
        _compliance.created(to, amount);
    }

    /// @inheritdoc IERC3643
    function burn(address userAddress, uint256 amount) public onlyRole(Role.SUPPLY_MODIFIER) {
        uint256 balance = _takeFromFrozen(userAddress, amount);
        unchecked {
            _accounts[userAddress].balance = uint128(balance - amount);
            _totalSupply -= amount;
        }
        emit Transfer(userAddress, address(0), amount);
        _compliance.destroyed(userAddress, amount);
    }

    /**
     * @inheritdoc IERC3643
     * @dev Bypasses pause, wallet freezes and compliance checks (it is the agent's corrective tool), but the
     * receiver must be verified. Frozen tokens are released as needed.
     */
    function forcedTransfer(address from, address to, uint256 amount)
        public
        onlyRole(Role.TRANSFER_MANAGER)
        returns (bool)
    {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        uint256 balance = _takeFromFrozen(from, amount);
        if (!_identityRegistry.isVerified(to)) revert ReceiverNotVerified();
        _move(from, to, amount, balance);
        _compliance.transferred(from, to, amount);
        return true;
    }

    /// @inheritdoc IERC3643
    function setAddressFrozen(address userAddress, bool freeze) public onlyRole(Role.FREEZER) {
        _accounts[userAddress].frozen = freeze;
        emit AddressFrozen(userAddress, freeze, _msgSender());
    }

    /// @inheritdoc IERC3643
    function freezePartialTokens(address userAddress, uint256 amount) public onlyRole(Role.FREEZER) {
        Account storage a = _accounts[userAddress];
        uint256 frozen = a.frozenTokens + amount;
        if (frozen > a.balance) revert FreezeExceedsBalance();
        a.frozenTokens = frozen.toUint120();
        emit TokensFrozen(userAddress, amount);
    }

    /// @inheritdoc IERC3643
    function unfreezePartialTokens(address userAddress, uint256 amount) public onlyRole(Role.FREEZER) {
        Account storage a = _accounts[userAddress];
        uint256 frozen = a.frozenTokens;
        if (amount > frozen) revert UnfreezeExceedsFrozen();
        unchecked {
            a.frozenTokens = uint120(frozen - amount);
        }
        emit TokensUnfrozen(userAddress, amount);
    }

    /// @inheritdoc IERC3643
    function pause() external onlyRole(Role.FREEZER) {
        if (_paused) revert EnforcedPause();
        _paused = true;
        emit Paused(_msgSender());
    }

    /// @inheritdoc IERC3643
    function unpause() external onlyRole(Role.FREEZER) {
        if (!_paused) revert ExpectedPause();
        _paused = false;
        emit Unpaused(_msgSender());
    }

    /**
     * @inheritdoc IERC3643
     * @dev Moves the whole balance, the frozen tokens and the freeze flag of `lostWallet` to `newWallet`, which
     * must be a management key of `investorOnchainID`, the identity `lostWallet` is registered to. The registry
     * entry moves too, so this token must be an agent of the identity registry.
     */
    function recoveryAddress(address lostWallet, address newWallet, address investorOnchainID)
        external
        onlyRole(Role.RECOVERY_AGENT)
        returns (bool)
    {
        if (newWallet == address(0)) revert ZeroAddress();
        if (newWallet == lostWallet) revert RecoveryToSameWallet();
        Account memory lost = _accounts[lostWallet];
        if (lost.balance == 0) revert NothingToRecover();
        if (!IIdentity(investorOnchainID).keyHasPurpose(keccak256(abi.encode(newWallet)), MANAGEMENT_PURPOSE)) {
            revert RecoveryKeyMissing();
        }
        IIdentityRegistry registry = _identityRegistry;
        if (address(registry.identity(lostWallet)) != investorOnchainID) revert IdentityMismatch();
        bool newRegistered = registry.contains(newWallet);
        // Tokens must not land on a wallet that belongs to someone else's identity.
        if (newRegistered && address(registry.identity(newWallet)) != investorOnchainID) revert IdentityMismatch();

        delete _accounts[lostWallet];
        Account storage next = _accounts[newWallet];
        unchecked {
            next.balance += lost.balance;
        }
        next.frozenTokens = (uint256(next.frozenTokens) + lost.frozenTokens).toUint120();
        emit Transfer(lostWallet, newWallet, lost.balance);
        if (lost.frozenTokens != 0) {
            emit TokensUnfrozen(lostWallet, lost.frozenTokens);
            emit TokensFrozen(newWallet, lost.frozenTokens);
        }
        if (lost.frozen && !next.frozen) {
            next.frozen = true;
            emit AddressFrozen(newWallet, true, _msgSender());
        }
        // Register the new wallet before the compliance hook and unregister the lost one after it, so modules
        // that track per-identity state see both wallets under the same identity.
        if (!newRegistered) {
            registry.registerIdentity(newWallet, IIdentity(investorOnchainID), registry.investorCountry(lostWallet));
        }
        _compliance.transferred(lostWallet, newWallet, lost.balance);
        registry.deleteIdentity(lostWallet);
        emit RecoverySuccess(lostWallet, newWallet, investorOnchainID);
        return true;
    }

    // ---------------------------------------------------------------- batches

    /// @inheritdoc IERC3643
    function batchTransfer(address[] calldata toList, uint256[] calldata amounts) external {
        if (toList.length != amounts.length) revert ArrayLengthMismatch();
        address sender = _msgSender();
        for (uint256 i; i < toList.length; ++i) {
            _checkedTransfer(sender, toList[i], amounts[i]);
        }
    }

    /// @inheritdoc IERC3643
    function batchForcedTransfer(address[] calldata fromList, address[] calldata toList, uint256[] calldata amounts)
        external
    {
        if (fromList.length != toList.length || toList.length != amounts.length) revert ArrayLengthMismatch();
        for (uint256 i; i < fromList.length; ++i) {
            forcedTransfer(fromList[i], toList[i], amounts[i]);
        }
    }

    /// @inheritdoc IERC3643
    function batchMint(address[] calldata toList, uint256[] calldata amounts) external {
        if (toList.length != amounts.length) revert ArrayLengthMismatch();
        for (uint256 i; i < toList.length; ++i) {
            mint(toList[i], amounts[i]);
        }
    }

    /// @inheritdoc IERC3643
    function batchBurn(address[] calldata userAddresses, uint256[] calldata amounts) external {
        if (userAddresses.length != amounts.length) revert ArrayLengthMismatch();
        for (uint256 i; i < userAddresses.length; ++i) {
            burn(userAddresses[i], amounts[i]);
        }
    }

    /// @inheritdoc IERC3643
    function batchSetAddressFrozen(address[] calldata userAddresses, bool[] calldata freeze) external {
        if (userAddresses.length != freeze.length) revert ArrayLengthMismatch();
        for (uint256 i; i < userAddresses.length; ++i) {
            setAddressFrozen(userAddresses[i], freeze[i]);
        }
    }

    /// @inheritdoc IERC3643
    function batchFreezePartialTokens(address[] calldata userAddresses, uint256[] calldata amounts) external {
        if (userAddresses.length != amounts.length) revert ArrayLengthMismatch();
        for (uint256 i; i < userAddresses.length; ++i) {
            freezePartialTokens(userAddresses[i], amounts[i]);
        }
    }

    /// @inheritdoc IERC3643
    function batchUnfreezePartialTokens(address[] calldata userAddresses, uint256[] calldata amounts) external {
        if (userAddresses.length != amounts.length) revert ArrayLengthMismatch();
        for (uint256 i; i < userAddresses.length; ++i) {
            unfreezePartialTokens(userAddresses[i], amounts[i]);
        }
    }

    // ---------------------------------------------------------------- owner operations

    /// @inheritdoc IERC3643
    function setName(string calldata newName) external onlyOwnerOrRole(Role.TOKEN_INFO_SETTER) {
        if (bytes(newName).length == 0) revert EmptyTokenInformation();
        _name = newName;
        emit UpdatedTokenInformation(newName, _symbol, _decimals, VERSION, _onchainID);
    }

    /// @inheritdoc IERC3643
    function setSymbol(string calldata newSymbol) external onlyOwnerOrRole(Role.TOKEN_INFO_SETTER) {
        if (bytes(newSymbol).length == 0) revert EmptyTokenInformation();
        _symbol = newSymbol;
        emit UpdatedTokenInformation(_name, newSymbol, _decimals, VERSION, _onchainID);
    }

    /// @inheritdoc IERC3643
    function setOnchainID(address newOnchainID) external onlyOwnerOrRole(Role.TOKEN_INFO_SETTER) {
        _onchainID = newOnchainID;
        emit UpdatedTokenInformation(_name, _symbol, _decimals, VERSION, newOnchainID);
    }

    /// @inheritdoc IERC3643
    function setIdentityRegistry(address newIdentityRegistry) external onlyOwner {
        if (newIdentityRegistry == address(0)) revert ZeroAddress();
        _identityRegistry = IIdentityRegistry(newIdentityRegistry);
        emit IdentityRegistryAdded(newIdentityRegistry);
    }

    /// @inheritdoc IERC3643
    function setCompliance(address newCompliance) external onlyOwner {
        if (newCompliance == address(0)) revert ZeroAddress();
        _compliance.unbindToken(address(this));
        _compliance = IERC3643Compliance(newCompliance);
        IERC3643Compliance(newCompliance).bindToken(address(this));
        emit ComplianceAdded(newCompliance);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IERC3643
    function onchainID() external view returns (address) {
        return _onchainID;
    }

    /// @inheritdoc IERC3643
    function version() external pure returns (string memory) {
        return VERSION;
    }

    /// @inheritdoc IERC3643
    function identityRegistry() external view returns (IIdentityRegistry) {
        return _identityRegistry;
    }

    /// @inheritdoc IERC3643
    function compliance() external view returns (IERC3643Compliance) {
        return _compliance;
    }

    /// @inheritdoc IERC3643
    function paused() external view returns (bool) {
        return _paused;
    }

    /// @inheritdoc IERC3643
    function isFrozen(address userAddress) external view returns (bool) {
        return _accounts[userAddress].frozen;
    }

    /// @inheritdoc IERC3643
    function getFrozenTokens(address userAddress) external view returns (uint256) {
        return _accounts[userAddress].frozenTokens;
    }

    // ---------------------------------------------------------------- roles

    /// @dev The four agent roles of T-REX's AgentManager that act on the token.
    function _agentRoles() internal pure override returns (uint256) {
        return Role.SUPPLY_MODIFIER | Role.FREEZER | Role.TRANSFER_MANAGER | Role.RECOVERY_AGENT;
    }

    /// @dev The owner may delegate the token information; registry and compliance replacement stay the owner's.
    function _ownerRoles() internal pure override returns (uint256) {
        return Role.TOKEN_INFO_SETTER;
    }
}
