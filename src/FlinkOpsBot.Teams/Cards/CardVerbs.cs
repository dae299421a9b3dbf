using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Teams.Cards;

/// <summary>
/// The verbs and data of a run card's actions, as the <c>adaptiveCard/action</c> invoke (<c>value.action.verb</c>,
/// <c>value.action.data</c>) and the <c>Action.Submit</c> fallback message (<c>value</c>) carry them back.
/// </summary>
internal static class CardVerbs
{
    /// <summary>Approve the run (<c>Action.Execute</c> verb).</summary>
    public const string Approve = "approve";

    /// <summary>Reject the run.</summary>
    public const string Reject = "reject";

    /// <summary>Withdraw the run (the requester only) while the gate is open.</summary>
    public const string Cancel = "cancel";

    /// <summary>Run a parked run's uncertain step again.</summary>
    public const string Retry = "retry";

    /// <summary>Mark a parked run's uncertain step done and go on.</summary>
    public const string Continue = "continue";

    /// <summary>Roll a parked run back.</summary>
    public const string RollBack = "rollback";

    /// <summary>Abandon a parked run, leaving the cluster as it is.</summary>
    public const string Abandon = "abandon";

    /// <summary>Fetch this viewer's card (the shared card's <c>refresh</c>).</summary>
    public const string Refresh = "refresh";

    /// <summary>The data key holding the run id (<c>R-7Q2K</c>).</summary>
    public const string RunIdKey = "runId";

    /// <summary>The data key holding the verb in an <c>Action.Submit</c> fallback, which has no verb of its own.</summary>
    public const string VerbKey = "verb";

    /// <summary>The data key holding the short hash of the plan the card showed (Approve only), e.g. <c>1a2b3c4d</c>.</summary>
    public const string PlanHashKey = "planHash";

    /// <summary>
    /// <c>{"runId": "R-7Q2K"}</c>, plus <c>"verb"</c> when given (for <c>Action.Submit</c>) and <c>"planHash"</c> when given
    /// (Approve: a click on a card that showed an older plan is refused).
    /// </summary>
    public static JsonObject Data(RunId runId, string? verb = null, string? planHash = null)
    {
        var data = new JsonObject { [RunIdKey] = runId.Value };
        if (verb is not null) data[VerbKey] = verb;
        if (planHash is not null) data[PlanHashKey] = planHash;
        return data;
    }
}
