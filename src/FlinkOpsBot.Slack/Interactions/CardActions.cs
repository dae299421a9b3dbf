using FlinkOpsBot.Core.Approvals;

namespace FlinkOpsBot.Slack.Interactions;

/// <summary>The <c>action_id</c>s of a card's buttons; each button's <c>value</c> is the run id.</summary>
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
}
