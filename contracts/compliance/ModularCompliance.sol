// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RoleControl} from "../roles/RoleControl.sol";
import {Role} from "../roles/Role.sol";
import {IERC3643Compliance, IComplianceModule} from "../token/IERC3643.sol";
import {TransferRefusal, IRefusalCode, IComplianceRefusal} from "../token/TransferRefusal.sol";
import {IStatelessModule} from "./IStatelessModule.sol";

/**
 * @title ModularCompliance
 * @notice The compliance of one ERC-3643 token (T-REX 4.x `IModularCompliance`): a transfer is allowed when every
 * bound module allows it. The owner (or a {Role.COMPLIANCE_SETTER}) binds and unbinds modules and configures them
 * through {callModuleFunction}, which makes this contract the caller (modules key their configuration by
 * compliance); a {Role.COMPLIANCE_AGENT} may configure the bound modules but not change which are bound. Every such
 * call may come signed and relayed by anyone (`executeSigned`).
 *
 * @dev The bound token and the module count share a slot: `canTransfer` pays one cold SLOAD before looping, and the
 * token hooks, which need both, one warm SLOAD. Each module entry packs the module address with a "stateful" bit
 * so stateless modules are not called on the hooks.
 */
contract ModularCompliance is IERC3643Compliance, IComplianceRefusal, RoleControl {
    /// @notice Bound modules are looped over on every transfer; the cap bounds that cost.
    uint256 public constant MAX_MODULES = 25;

    uint256 private constant STATEFUL_BIT = 1 << 160;

    address private _token;
    uint8 private _moduleCount;
    mapping(uint256 index => uint256 entry) private _modules;
    mapping(address module => bool) private _moduleBound;

    /// @notice The caller is not the bound token.
    error CallerNotToken(address caller);
    /// @notice The caller may not bind or unbind this token.
    error UnauthorizedTokenBinding(address caller);
    /// @notice `token` is not the token bound to this compliance.
    error TokenNotBound(address token);
    /// @notice Modules and their settings calls differ in length.
    error ModuleListMismatch();
    /// @notice `module` is already bound.
    error ModuleAlreadyBound(address module);
    /// @notice `module` is not bound.
    error ModuleNotBound(address module);
    /// @notice {MAX_MODULES} modules are bound already.
    error TooManyModules();
    /// @notice `module` is not plug-and-play and refuses this compliance in its current state.
    error ModuleCannotBind(address module);
    /// @notice The call data is shorter than a selector, or would (un)bind the module behind this contract's back.
    error InvalidModuleCall();

    /// @dev `msg.sender`, not `_msgSender()`: the hooks run on every transfer, and `_token` can never be this
    /// contract (bindToken refuses it), so a signed self-call can never pass.
    modifier onlyToken() {
        if (msg.sender != _token) revert CallerNotToken(msg.sender);
        _;
    }

    /// @param initialOwner The issuer, who binds and configures modules; 0 makes a template for clones (see
    /// RoleControl).
    constructor(address initialOwner) RoleControl(initialOwner) {}

    /**
     * @notice Sets up a clone of a template (once): bound to `token`, with `modules[i]` bound and configured by the
     * calls `settings[i]` (module configuration calldata, as {callModuleFunction} takes), and initial role holders.
     */
    function initialize(
        address initialOwner,
        address token,
        address[] calldata modules,
        bytes[][] calldata settings,
        address[] calldata accounts,
        uint256[] calldata roles
    ) external {
        _initializeClone(initialOwner);
        _bind(token);
        if (modules.length != settings.length) revert ModuleListMismatch();
        for (uint256 i; i < modules.length; ++i) {
            _addModule(modules[i]);
            for (uint256 j; j < settings[i].length; ++j) {
                _callModule(settings[i][j], modules[i]);
            }
        }
        _grantInitialRoles(accounts, roles);
    }

    /**
     * @inheritdoc IERC3643Compliance
     * @dev The owner may (re)bind any token; a token may bind itself while none is bound (its constructor or
     * `setCompliance` does so).
     */
    function bindToken(address token) external {
        address sender = _msgSender();
        if (sender != owner() && !(_token == address(0) && sender == token)) revert UnauthorizedTokenBinding(sender);
        _bind(token);
    }

    /// @inheritdoc IERC3643Compliance
    function unbindToken(address token) external {
        address sender = _msgSender();
        if (sender != owner() && sender != token) revert UnauthorizedTokenBinding(sender);
        if (token != _token || token == address(0)) revert TokenNotBound(token);
        _token = address(0);
        emit TokenUnbound(token);
    }

    /// @inheritdoc IERC3643Compliance
    function addModule(address module) external onlyOwnerOrRole(Role.COMPLIANCE_SETTER) {
        _addModule(module);
    }

    function _addModule(address module) private {
        if (module == address(0)) revert ZeroAddress();
        if (_moduleBound[module]) revert ModuleAlreadyBound(module);
        uint8 count = _moduleCount;
        if (count >= MAX_MODULES) revert TooManyModules();
        IComplianceModule m = IComplianceModule(module);
        if (!m.isPlugAndPlay() && !m.canComplianceBind(address(this))) revert ModuleCannotBind(module);
        m.bindCompliance(address(this));
        _modules[count] = uint256(uint160(module)) | (_isStateless(module) ? 0 : STATEFUL_BIT);
        _moduleCount = count + 1;
        _moduleBound[module] = true;
        emit ModuleAdded(module);
    }

    /// @inheritdoc IERC3643Compliance
    function removeModule(address module) external onlyOwnerOrRole(Role.COMPLIANCE_SETTER) {
        if (!_moduleBound[module]) revert ModuleNotBound(module);
        uint256 last = _moduleCount - 1;
        for (uint256 i; i <= last; ++i) {
            if (address(uint160(_modules[i])) == module) {
                // Order does not matter (every module must agree), so swap-and-pop.
                _modules[i] = _modules[last];
                delete _modules[last];
                break;
            }
        }
        _moduleCount = uint8(last);
        _moduleBound[module] = false;
        IComplianceModule(module).unbindCompliance(address(this));
        emit ModuleRemoved(module);
    }

    /// @inheritdoc IERC3643Compliance
    /// @dev Owner, {Role.COMPLIANCE_SETTER} or {Role.COMPLIANCE_AGENT}.
    function callModuleFunction(bytes calldata callData, address module)
        external
        onlyOwnerOrRole(Role.COMPLIANCE_SETTER | Role.COMPLIANCE_AGENT)
    {
        _callModule(callData, module);
    }

    function _callModule(bytes calldata callData, address module) private {
        if (!_moduleBound[module]) revert ModuleNotBound(module);
        if (callData.length < 4) revert InvalidModuleCall();
        bytes4 selector = bytes4(callData[:4]);
        // Binding goes through addModule / removeModule only, so the module list and the modules agree.
        if (selector == IComplianceModule.bindCompliance.selector || selector == IComplianceModule.unbindCompliance.selector) {
            revert InvalidModuleCall();
        }
        (bool ok, bytes memory ret) = module.call(callData);
        if (!ok) {
            // Bubble the module's own custom error up unchanged.
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        emit ModuleInteraction(module, selector);
    }

    /// @inheritdoc IERC3643Compliance
    function transferred(address from, address to, uint256 amount) external onlyToken {
        uint256 count = _moduleCount;
        for (uint256 i; i < count; ++i) {
            uint256 entry = _modules[i];
            if (entry & STATEFUL_BIT != 0) IComplianceModule(address(uint160(entry))).moduleTransferAction(from, to, amount);
        }
    }

    /// @inheritdoc IERC3643Compliance
    function created(address to, uint256 amount) external onlyToken {
        uint256 count = _moduleCount;
        for (uint256 i; i < count; ++i) {
            uint256 entry = _modules[i];
            if (entry & STATEFUL_BIT != 0) IComplianceModule(address(uint160(entry))).moduleMintAction(to, amount);
        }
    }

    /// @inheritdoc IERC3643Compliance
    function destroyed(address from, uint256 amount) external onlyToken {
        uint256 count = _moduleCount;
        for (uint256 i; i < count; ++i) {
            uint256 entry = _modules[i];
            if (entry & STATEFUL_BIT != 0) IComplianceModule(address(uint160(entry))).moduleBurnAction(from, amount);
        }
    }

    /// @inheritdoc IERC3643Compliance
    function canTransfer(address from, address to, uint256 amount) external view returns (bool) {
        uint256 count = _moduleCount;
        for (uint256 i; i < count; ++i) {
            if (!IComplianceModule(address(uint160(_modules[i]))).moduleCheck(from, to, amount, address(this))) {
                return false;
            }
        }
        return true;
    }

    /// @inheritdoc IComplianceRefusal
    function transferRefusal(address from, address to, uint256 amount)
        external
        view
        returns (uint8 code, address module)
    {
        uint256 count = _moduleCount;
        for (uint256 i; i < count; ++i) {
            module = address(uint160(_modules[i]));
            if (!IComplianceModule(module).moduleCheck(from, to, amount, address(this))) {
                try IRefusalCode(module).refusalCode() returns (uint8 c) {
                    code = c < TransferRefusal.COMPLIANCE_REFUSED ? TransferRefusal.COMPLIANCE_REFUSED : c;
                } catch {
                    code = TransferRefusal.COMPLIANCE_REFUSED;
                }
                return (code, module);
            }
        }
        return (TransferRefusal.OK, address(0));
    }

    /// @inheritdoc IERC3643Compliance
    function getModules() external view returns (address[] memory modules) {
        uint256 count = _moduleCount;
        modules = new address[](count);
        for (uint256 i; i < count; ++i) {
            modules[i] = address(uint160(_modules[i]));
        }
    }

    /// @inheritdoc IERC3643Compliance
    function getTokenBound() external view returns (address) {
        return _token;
    }

    /// @inheritdoc IERC3643Compliance
    function isModuleBound(address module) external view returns (bool) {
        return _moduleBound[module];
    }

    /// @dev Compliance agents configure the bound modules.
    function _agentRoles() internal pure override returns (uint256) {
        return Role.COMPLIANCE_AGENT;
    }

    /// @dev The owner may delegate the choice of modules.
    function _ownerRoles() internal pure override returns (uint256) {
        return Role.COMPLIANCE_SETTER;
    }

    /// @dev The owner may bind any token but never this contract itself (see onlyToken).
    function _bind(address token) private {
        if (token == address(0)) revert ZeroAddress();
        if (token == address(this)) revert UnauthorizedTokenBinding(token);
        _token = token;
        emit TokenBound(token);
    }

    function _isStateless(address module) private view returns (bool) {
        try IStatelessModule(module).isStateless() returns (bool stateless) {
            return stateless;
        } catch {
            return false;
        }
    }
}
