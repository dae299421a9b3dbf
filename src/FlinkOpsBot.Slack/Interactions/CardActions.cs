using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Plans;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Slack.Interactions;

/// <summary>
/// The <c>action_id</c>s of a card's buttons. Each button's <c>value</c> is the run id; Approve's is the run id and the
/// short hash of the plan the card shows, <c>R-7Q2K:1a2b3c4d</c> (<see cref="ApproveValue"/>), so a click on a card
/// showing an older plan is refused.
/// </summary>
internal static class CardActions
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Cancel = "cancel";
    public const string Retry = "retry";
    public const string Continue = "continue";
    public const string RollBack = "rollback";
    public const string Abandon = "abandon";

    /// <summary>The gate action a button stands for, or null for an action id the bot does not handle.</summary>
    public static GateAction? Parse(string? actionId) => actionId switch
    {
        Approve => GateAction.Approve,
        Reject => GateAction.Reject,
        Cancel => GateAction.Cancel,
        Retry => GateAction.Retry,
        Continue => GateAction.Continue,
        RollBack => GateAction.RollBack,
        Abandon => GateAction.Abandon,
        _ => null,
    };

    /// <summary>Approve's <c>value</c>: <c>R-7Q2K:1a2b3c4d</c>, or just the run id for a card without a plan.</summary>
    public static string ApproveValue(RunId runId, string? planHash) => planHash is null ? runId.Value : $"{runId.Value}:{planHash}";

    /// <summary>
    /// Reads a button's <c>value</c>: a run id, optionally followed by <c>:</c> and a plan's short hash. False when
    /// either part is malformed.
    /// </summary>
    public static bool TryParseValue(string? value, out RunId runId, out string? planHash)
    {
        planHash = null;
        var colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon < 0) return RunId.TryParse(value, out runId);
        var hash = value![(colon + 1)..];
        if (!RunId.TryParse(value[..colon], out runId) || !PlanHasher.IsShortHash(hash)) return false;
        planHash = hash.ToLowerInvariant();
        return true;
    }
}
