// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {vm} from "./base/Vm.sol";

/// @title What the handlers saw: outcome counters (so a campaign can be shown not to be vacuous) and violations
/// @notice Handlers never revert: they compare what a contract did with what the model predicted and record a
/// violation here when they differ; `invariant_noViolation` fails on the first one, with its message, and forge
/// prints the call sequence that led to it.
contract Journal {
    string[] private _names;
    mapping(string name => uint256) public counts;
    uint256 public violations;
    string public firstViolation;

    /// @notice Counts one `name` event (e.g. "transfer.ok", "transfer.refused").
    function count(string memory name) public {
        if (counts[name] == 0) _names.push(name);
        ++counts[name];
    }

    /// @notice Records that `what` happened although the model said otherwise.
    function violation(string memory what) external {
        if (violations == 0) firstViolation = what;
        ++violations;
        count("violation");
    }

    /// @notice Counts `base.ok` or `base.refused` and records a violation when `succeeded` differs from `expected`.
    function outcome(string memory base, bool expected, bool succeeded) external {
        count(string.concat(base, succeeded ? ".ok" : ".refused"));
        if (expected != succeeded) {
            string memory what = string.concat(
                base, expected ? ": the model expected success, the contract refused" : ": the model expected a refusal, the contract accepted"
            );
            if (violations == 0) firstViolation = what;
            ++violations;
            count("violation");
        }
    }

    /// @notice Every counter as one JSON object line.
    function json() external view returns (string memory out) {
        out = "{";
        for (uint256 i = 0; i < _names.length; ++i) {
            out = string.concat(out, i == 0 ? "" : ",", "\"", _names[i], "\":", vm.toString(counts[_names[i]]));
        }
        out = string.concat(out, "}");
    }
}
