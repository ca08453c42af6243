// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {vm} from "../base/Vm.sol";
import {HandlerBase} from "./HandlerBase.sol";
import {IdentitySystem, TokenSystem, ZkSystem} from "../System.sol";
import {IdentityModel} from "../model/IdentityModel.sol";
import {TokenModel} from "../model/TokenModel.sol";
import {ZkModel} from "../model/ZkModel.sol";
import {Journal} from "../Journal.sol";
import {PermissionedToken} from "../../../contracts/token/PermissionedToken.sol";
import {Identity} from "../../../contracts/identity/Identity.sol";

/// @title Token operations by holders, agents and strangers
/// @notice "A transfer between wallets succeeds only if both are verified and compliance allows it at that block":
/// before every transfer the model's first refusal code is compared with `canTransferReason`, and the transfer must
/// succeed exactly when that code is 0. Agent operations (mint, burn, forced transfer, freezes, pause, recovery)
/// follow the rules of contracts/README.md; a paused token moves nothing but what agents force.
contract TokenHandler is HandlerBase {
    constructor(IdentitySystem ids_, TokenSystem tok_, ZkSystem zks_, IdentityModel im_, TokenModel tm_, ZkModel zm_, Journal j)
        HandlerBase(ids_, tok_, zks_, im_, tm_, zm_, j)
    {}

    /// @dev Mostly at most the sender's balance, sometimes more (refused: insufficient balance).
    function _amount(address from, uint256 seed) private view returns (uint256) {
        uint256 balance = tm.balanceOf(from);
        if (seed % 10 == 0) return balance + 1 + seed % 100;
        return balance == 0 ? seed % 3 : seed % (balance + 1);
    }

    /// @dev Holders are the wallets (biased towards verified ones); occasionally the zero address as receiver.
    function _receiver(uint256 seed) private view returns (address) {
        return seed % 29 == 0 ? address(0) : _verifiedWallet(seed);
    }

    /// @notice transfer, transferFrom (by a spender with an allowance) or batchTransfer between random wallets.
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amountSeed, uint8 mode) external {
        address from = _senderWallet(fromSeed);
        address to = _receiver(toSeed);
        uint256 amount = _amount(from, amountSeed);
        PermissionedToken token = tok.token();
        uint8 code = tm.transferRefusal(from, to, amount);
        uint8 reported = token.canTransferReason(from, to, amount);
        if (reported != code) journal.violation("canTransferReason differs from the model's first refusal");
        mode %= 3;
        bool ok;
        if (mode == 0) {
            (ok,) = _call(from, address(token), abi.encodeCall(PermissionedToken.transfer, (to, amount)));
            journal.outcome(string.concat("token.transfer.code", _code(code)), code == 0, ok);
        } else if (mode == 1) {
            ok = _transferFrom(from, to, amount, fromSeed, toSeed, code);
        } else {
            // Two transfers in one call: all or nothing. The second one is judged after the first.
            address[] memory tos = new address[](2);
            uint256[] memory amounts = new uint256[](2);
            (tos[0], tos[1], amounts[0], amounts[1]) = (to, ids.wallet(toSeed % 64 + 1), amount / 2, amount - amount / 2);
            _batch(token, from, tos, amounts);
            return;
        }
        if (ok) tm.move(from, to, amount, false);
    }

    /// @dev transferFrom by a spender (biased towards one holding an allowance from `from`).
    function _transferFrom(address from, address to, uint256 amount, uint256 fromSeed, uint256 toSeed, uint8 code)
        private returns (bool ok)
    {
        address spender = ids.wallet(fromSeed % 64 + 1 + toSeed % 3);
        for (uint256 i = 0; i < ids.WALLETS() && toSeed % 3 != 0 && tm.allowance(from, spender) == 0; ++i) {
            spender = ids.wallet(fromSeed % 64 + i);
        }
        uint256 allowance = tm.allowance(from, spender);
        bool expected = code == 0 && (allowance == type(uint256).max || allowance >= amount);
        (ok,) = _call(spender, address(tok.token()), abi.encodeCall(PermissionedToken.transferFrom, (from, to, amount)));
        journal.outcome("token.transferFrom", expected, ok);
        if (ok && allowance != type(uint256).max) tm.setApproval(from, spender, allowance - amount);
    }

    function _batch(PermissionedToken token, address from, address[] memory tos, uint256[] memory amounts) private {
        bool expected = tm.transferRefusal(from, tos[0], amounts[0]) == 0;
        if (expected) {
            // The second transfer is judged in the state after the first: apply it to the model, ask, roll back.
            uint256 snapshot = vm.snapshotState();
            tm.move(from, tos[0], amounts[0], false);
            expected = tm.transferRefusal(from, tos[1], amounts[1]) == 0;
            vm.revertToState(snapshot);
        }
        (bool ok,) = _call(from, address(token), abi.encodeCall(PermissionedToken.batchTransfer, (tos, amounts)));
        journal.outcome("token.batchTransfer", expected, ok);
        if (!ok) return;
        tm.move(from, tos[0], amounts[0], false);
        tm.move(from, tos[1], amounts[1], false);
    }

    function _code(uint8 code) private pure returns (string memory) {
        bytes memory digits = new bytes(code >= 10 ? 2 : 1);
        if (code >= 10) digits[0] = bytes1(uint8(48 + code / 10));
        digits[digits.length - 1] = bytes1(uint8(48 + code % 10));
        return string(digits);
    }

    /// @notice approve(spender, amount) by a wallet (infinite approvals sometimes).
    function approve(uint256 ownerSeed, uint256 spenderSeed, uint256 amount) external {
        address owner = ids.wallet(ownerSeed);
        address spender = ids.wallet(spenderSeed);
        if (amount % 5 == 0) amount = type(uint256).max;
        else amount %= 2_000;
        (bool ok,) = _call(owner, address(tok.token()), abi.encodeCall(PermissionedToken.approve, (spender, amount)));
        journal.outcome("token.approve", true, ok);
        if (ok) tm.setApproval(owner, spender, amount);
    }

    /// @notice mint(to, amount): an agent, to a verified receiver that compliance accepts.
    function mint(uint256 actorSeed, uint256 toSeed, uint256 amount) external {
        address actor = _admin(actorSeed, ids.agent());
        address to = _receiver(toSeed);
        amount %= 1_500;
        bool expected = actor == ids.agent() && to != address(0) && tm.verified(to) && tm.complianceRefusal(address(0), to, amount) == 0;
        (bool ok,) = _call(actor, address(tok.token()), abi.encodeCall(PermissionedToken.mint, (to, amount)));
        journal.outcome("token.mint", expected, ok);
        if (ok) tm.mint(to, amount);
    }

    /// @notice burn(from, amount): an agent; frozen tokens are released as needed.
    function burn(uint256 actorSeed, uint256 fromSeed, uint256 amountSeed) external {
        address actor = _admin(actorSeed, ids.agent());
        address from = _fundedWallet(fromSeed);
        uint256 amount = _amount(from, amountSeed);
        bool expected = actor == ids.agent() && amount <= tm.balanceOf(from);
        (bool ok,) = _call(actor, address(tok.token()), abi.encodeCall(PermissionedToken.burn, (from, amount)));
        journal.outcome("token.burn", expected, ok);
        if (ok) tm.burn(from, amount);
    }

    /// @notice forcedTransfer: an agent, ignoring pause, freezes and compliance, to a verified receiver.
    function forcedTransfer(uint256 actorSeed, uint256 fromSeed, uint256 toSeed, uint256 amountSeed) external {
        address actor = _admin(actorSeed, ids.agent());
        address from = _fundedWallet(fromSeed);
        address to = _receiver(toSeed);
        uint256 amount = _amount(from, amountSeed);
        bool expected = actor == ids.agent() && to != address(0) && amount <= tm.balanceOf(from) && tm.verified(to);
        (bool ok,) = _call(actor, address(tok.token()), abi.encodeCall(PermissionedToken.forcedTransfer, (from, to, amount)));
        journal.outcome(tm.paused() ? "token.forcedTransfer.paused" : "token.forcedTransfer", expected, ok);
        if (ok) tm.move(from, to, amount, true);
    }

    /// @notice setAddressFrozen, freezePartialTokens, unfreezePartialTokens (agents only).
    function freeze(uint256 actorSeed, uint256 walletSeed, uint256 amountSeed, uint8 what) external {
        address actor = _admin(actorSeed, ids.agent());
        address wallet = _fundedWallet(walletSeed);
        bool isAgent = actor == ids.agent();
        PermissionedToken token = tok.token();
        what %= 4;
        if (what <= 1) {
            (bool ok,) = _call(actor, address(token), abi.encodeCall(PermissionedToken.setAddressFrozen, (wallet, what == 0)));
            journal.outcome(what == 0 ? "token.freezeWallet" : "token.unfreezeWallet", isAgent, ok);
            if (ok) tm.setFrozen(wallet, what == 0);
            return;
        }
        uint256 balance = tm.balanceOf(wallet);
        uint256 frozenTokens = tm.frozenTokens(wallet);
        uint256 amount = amountSeed % (balance + 2);
        if (what == 2) {
            bool expected = isAgent && frozenTokens + amount <= balance;
            (bool ok,) = _call(actor, address(token), abi.encodeCall(PermissionedToken.freezePartialTokens, (wallet, amount)));
            journal.outcome("token.freezeTokens", expected, ok);
            if (ok) tm.setFrozenTokens(wallet, frozenTokens + amount);
        } else {
            bool expected = isAgent && amount <= frozenTokens;
            (bool ok,) = _call(actor, address(token), abi.encodeCall(PermissionedToken.unfreezePartialTokens, (wallet, amount)));
            journal.outcome("token.unfreezeTokens", expected, ok);
            if (ok) tm.setFrozenTokens(wallet, frozenTokens - amount);
        }
    }

    /// @notice pause / unpause (agents only).
    function pause(uint256 actorSeed, bool on) external {
        address actor = _admin(actorSeed, ids.agent());
        bool expected = actor == ids.agent() && tm.paused() != on;
        bytes memory call = on ? abi.encodeCall(PermissionedToken.pause, ()) : abi.encodeCall(PermissionedToken.unpause, ());
        (bool ok,) = _call(actor, address(tok.token()), call);
        journal.outcome(on ? "token.pause" : "token.unpause", expected, ok);
        if (ok) tm.setPaused(on);
    }

    /// @notice recoveryAddress(lost, new, identity) by an agent. With `prepare`, the investor first adds the new
    /// wallet as a management key of its identity (what recovery requires), so recoveries do succeed.
    function recover(uint256 actorSeed, uint256 lostSeed, uint256 newSeed, uint256 identitySeed, bool prepare) external {
        address actor = _admin(actorSeed, ids.agent());
        address lost = _fundedWallet(lostSeed);
        address newWallet = ids.wallet(newSeed);
        address identity = tm.identityOf(lost);
        if (identity == address(0) || identitySeed % 4 == 0) identity = address(ids.identity(identitySeed));
        if (prepare) _addManagementKey(identity, newWallet);
        address newIdentity = tm.identityOf(newWallet);
        bool expected = actor == ids.agent() && newWallet != lost && tm.balanceOf(lost) != 0
            && im.hasPurpose(identity, newWallet, 1) && tm.identityOf(lost) == identity
            && (newIdentity == address(0) || newIdentity == identity);
        (bool ok,) = _call(actor, address(tok.token()), abi.encodeCall(PermissionedToken.recoveryAddress, (lost, newWallet, identity)));
        journal.outcome("token.recovery", expected, ok);
        if (ok) tm.recover(lost, newWallet);
    }

    function _addManagementKey(address identity, address wallet) private {
        if (im.hasPurpose(identity, wallet, 1)) return;
        for (uint256 i = 0; i < ids.keyActors(); ++i) {
            address manager = ids.keyActor(i);
            if (!im.hasPurpose(identity, manager, 1)) continue;
            (bool ok,) = _call(manager, identity, abi.encodeCall(Identity.addKey, (keccak256(abi.encode(wallet)), 1, 1)));
            if (!ok) journal.violation("a management key could not add a key");
            else im.setPurpose(identity, wallet, 1, true);
            return;
        }
    }
}
