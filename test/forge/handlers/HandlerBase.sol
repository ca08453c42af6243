// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {vm} from "../base/Vm.sol";
import {IdentitySystem, TokenSystem, ZkSystem} from "../System.sol";
import {IdentityModel} from "../model/IdentityModel.sol";
import {TokenModel} from "../model/TokenModel.sol";
import {ZkModel} from "../model/ZkModel.sol";
import {Journal} from "../Journal.sol";

/// @title What every handler shares: the system, the models, the journal, and a call that never reverts
/// @notice Handlers are forge's only invariant targets. Each public function takes fuzzed seeds, bounds them onto the
/// campaign's actors and values, asks the model what must happen, makes the real call as the chosen actor
/// (vm.prank) through `_call` (which catches reverts), compares, and updates the model only on success. A handler
/// function itself never reverts, so `fail_on_revert = true` only trips on a harness bug.
abstract contract HandlerBase {
    IdentitySystem public immutable ids;
    TokenSystem public immutable tok;
    ZkSystem public immutable zks;
    IdentityModel public immutable im;
    TokenModel public immutable tm;
    ZkModel public immutable zm;
    Journal public immutable journal;

    constructor(IdentitySystem ids_, TokenSystem tok_, ZkSystem zks_, IdentityModel im_, TokenModel tm_, ZkModel zm_, Journal j) {
        ids = ids_;
        tok = tok_;
        zks = zks_;
        im = im_;
        tm = tm_;
        zm = zm_;
        journal = j;
    }

    /// @dev Calls `target` with `data` as `sender`; returns whether it succeeded and what it returned.
    function _call(address sender, address target, bytes memory data) internal returns (bool ok, bytes memory ret) {
        vm.prank(sender);
        (ok, ret) = target.call(data);
    }

    /// @dev `seed` mapped onto [min, max].
    function _bound(uint256 seed, uint256 min, uint256 max) internal pure returns (uint256) {
        return min + seed % (max - min + 1);
    }

    /// @dev An administrative caller: mostly the one holding the role, sometimes someone who does not.
    function _admin(uint256 seed, address holder) internal view returns (address) {
        uint256 r = seed % 8;
        if (r < 5) return holder;
        if (r == 5) return ids.stranger();
        if (r == 6) return ids.wallet(seed >> 8);
        return holder == ids.owner() ? ids.agent() : ids.owner();
    }

    // Biased choices: random seeds alone would almost never pick the one actor who may act, or the one wallet
    // holding tokens, so two times in three these pick one that can (the refusals stay covered by the third).

    /// @dev A key actor; biased towards a management key of `holder`.
    function _keyActorFor(address holder, uint256 seed) internal view returns (address) {
        if (seed % 3 != 0) {
            uint256 n = ids.keyActors();
            for (uint256 i = 0; i < n; ++i) {
                address a = ids.keyActor(seed % n + i);
                if (im.hasPurpose(holder, a, 1)) return a;
            }
        }
        return ids.keyActor(seed);
    }

    /// @dev A wallet; biased towards one holding tokens.
    function _fundedWallet(uint256 seed) internal view returns (address) {
        if (seed % 3 != 0) {
            for (uint256 i = 0; i < ids.WALLETS(); ++i) {
                address w = ids.wallet(seed % 64 + i);
                if (tm.balanceOf(w) != 0) return w;
            }
        }
        return ids.wallet(seed);
    }

    /// @dev A wallet; biased towards one holding tokens that the model calls verified (a transfer can succeed).
    function _senderWallet(uint256 seed) internal view returns (address) {
        if (seed % 3 != 0) {
            for (uint256 i = 0; i < ids.WALLETS(); ++i) {
                address w = ids.wallet(seed % 64 + i);
                if (tm.balanceOf(w) != 0 && tm.verified(w)) return w;
            }
        }
        return _fundedWallet(seed);
    }

    /// @dev A wallet; biased towards one the model calls verified.
    function _verifiedWallet(uint256 seed) internal view returns (address) {
        if (seed % 3 != 0) {
            for (uint256 i = 0; i < ids.WALLETS(); ++i) {
                address w = ids.wallet(seed % 64 + i);
                if (tm.verified(w)) return w;
            }
        }
        return ids.wallet(seed);
    }

    function _country(uint256 seed) internal pure returns (uint16) {
        uint16[3] memory c = [uint16(250), 276, 840];
        return c[seed % 3];
    }
}
