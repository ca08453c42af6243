// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC3643Compliance, IComplianceModule} from "../token/IERC3643.sol";
import {TransferRefusal, IRefusalCode, IComplianceRefusal} from "../token/TransferRefusal.sol";
import {IStatelessModule} from "./IStatelessModule.sol";

/**
 * @title ModularCompliance
 * @notice The compliance of one ERC-3643 token (T-REX 4.x `IModularCompliance`): a transfer is allowed when every
 * bound module allows it. The owner binds and unbinds modules and configures them through
 * {callModuleFunction}, which makes this contract the caller (modules key their configuration by compliance).
 *
 * @dev The bound token and the module count share a slot: `canTransfer` pays one cold SLOAD before looping, and the
 * token hooks, which need both, one warm SLOAD. Each module entry packs the module address with a "stateful" bit
 * so stateless modules are not called on the hooks.
 */
contract ModularCompliance is IERC3643Compliance, IComplianceRefusal, Ownable2Step {
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
    /// @notice A required address argument is zero.
    error ZeroAddress();
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

    modifier onlyToken() {
        if (msg.sender != _token) revert CallerNotToken(msg.sender);
        _;
    }

    /// @param initialOwner The issuer, who binds and configures modules.
    constructor(address initialOwner) Ownable(initialOwner) {}

    /**
     * @inheritdoc IERC3643Compliance
     * @dev The owner may (re)bind any token; a token may bind itself while none is bound (its constructor or
     * `setCompliance` does so).
     */
    function bindToken(address token) external {
        if (msg.sender != owner() && !(_token == address(0) && msg.sender == token)) {
            revert UnauthorizedTokenBinding(msg.sender);
        }
        if (token == address(0)) revert ZeroAddress();
        _token = token;
        emit TokenBound(token);
    }

    /// @inheritdoc IERC3643Compliance
    function unbindToken(address token) external {
        if (msg.sender != owner() && msg.sender != token) revert UnauthorizedTokenBinding(msg.sender);
        if (token != _token || token == address(0)) revert TokenNotBound(token);
        _token = address(0);
        emit TokenUnbound(token);
    }

    /// @inheritdoc IERC3643Compliance
    function addModule(address module) external onlyOwner {
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
    function removeModule(address module) external onlyOwner {
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
    function callModuleFunction(bytes calldata callData, address module) external onlyOwner {
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

    function _isStateless(address module) private view returns (bool) {
        try IStatelessModule(module).isStateless() returns (bool stateless) {
            return stateless;
        } catch {
            return false;
        }
    }
}
