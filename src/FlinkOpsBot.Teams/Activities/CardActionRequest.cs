using System.Text.Json;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Teams.Activities;

/// <summary>
/// A click on a run card's button: the verb (<c>approve</c>, <c>reject</c>, <c>cancel</c>, <c>refresh</c>, or for a parked run <c>retry</c>, <c>continue</c>, <c>rollback</c>, <c>abandon</c>) and the run id from the
/// action's <c>data</c>. Arrives as an <c>adaptiveCard/action</c> invoke (<c>Action.Execute</c>, Universal Actions) or,
/// from older clients, as a message whose <c>value</c> is the <c>Action.Submit</c> data <c>{runId, verb}</c>.
/// </summary>
internal sealed record CardActionRequest(string Verb, RunId RunId)
{
    /// <summary>The short hash of the plan the card showed (<c>data.planHash</c>, on Approve), lower case; null when the card carried none.</summary>
    public string? PlanHash { get; init; }

    public const string InvokeName = "adaptiveCard/action";
    public const string ExecuteType = "Action.Execute";
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Cancel = "cancel";
    public const string Refresh = "refresh";
    public const string Retry = "retry";
    public const string Continue = "continue";
    public const string RollBack = "rollback";
    public const string Abandon = "abandon";

    /// <summary>The gate or parked-run decision the verb asks for; null for <c>refresh</c>.</summary>
    public GateAction? Decision => Verb switch
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

    /// <summary>
    /// Reads an <c>adaptiveCard/action</c> invoke's <c>value</c>: <c>{action: {type: "Action.Execute", verb, data: {runId}}}</c>.
    /// Returns the request, or the error botbuilder would answer (<c>BadRequest</c> "Missing value property", "Missing
    /// action property", <c>NotSupported</c> for another action type), or ours for an unknown verb or run id.
    /// </summary>
    public static (CardActionRequest? Request, InvokeError? Error) FromInvoke(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } v) return (null, new("BadRequest", "Missing value property"));
        if (!v.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object)
        {
            return (null, new("BadRequest", "Missing action property"));
        }
        var type = StringOf(action, "type");
        if (type != ExecuteType) return (null, new("NotSupported", $"The action '{type}' is not supported."));
        var verb = StringOf(action, "verb");
        if (!IsKnown(verb)) return (null, new("BadRequest", $"The verb '{verb}' is not supported."));
        var hasData = action.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object;
        var runId = hasData ? StringOf(data, "runId") : null;
        if (!RunId.TryParse(runId, out var id)) return (null, new("BadRequest", "The action's data has no valid runId."));
        if (!TryPlanHash(hasData ? data : null, out var planHash)) return (null, new("BadRequest", "The action's data has a planHash that is not 8 hex characters."));
        return (new CardActionRequest(verb, id) { PlanHash = planHash }, null);
    }

    /// <summary>Reads an <c>Action.Submit</c> message's <c>value</c> <c>{runId, verb}</c>; null when it is not a run card's button.</summary>
    public static CardActionRequest? FromSubmit(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } v) return null;
        var verb = StringOf(v, "verb");
        return IsKnown(verb) && RunId.TryParse(StringOf(v, "runId"), out var id) && TryPlanHash(v, out var planHash)
            ? new CardActionRequest(verb, id) { PlanHash = planHash }
            : null;
    }

    /// <summary>Reads <c>planHash</c> from the data: absent is fine (null); present, it must be a short plan hash.</summary>
    private static bool TryPlanHash(JsonElement? data, out string? planHash)
    {
        planHash = null;
        if (data is not { } d || !d.TryGetProperty("planHash", out var p) || p.ValueKind == JsonValueKind.Null) return true;
        if (p.ValueKind != JsonValueKind.String || !Core.Plans.PlanHasher.IsShortHash(p.GetString())) return false;
        planHash = p.GetString()!.ToLowerInvariant();
        return true;
    }

    private static bool IsKnown([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? verb) => verb is Approve or Reject or Cancel or Refresh or Retry or Continue or RollBack or Abandon;

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}

/// <summary>The error value of an invoke response: <c>{code, message}</c>.</summary>
internal sealed record InvokeError(string Code, string Message);

/// <summary>
/// The body of the HTTP answer to an <c>adaptiveCard/action</c> invoke (Universal Actions):
/// <c>{"statusCode":200,"type":"application/vnd.microsoft.card.adaptive","value":{card}}</c>, a message, or an error.
/// </summary>
internal sealed record AdaptiveCardInvokeResponse(int StatusCode, string Type, JsonNode? Value)
{
    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    public static AdaptiveCardInvokeResponse Card(JsonObject card) => new(200, CardType, card);

    public static AdaptiveCardInvokeResponse Message(string text) => new(200, MessageType, JsonValue.Create(text));

    public static AdaptiveCardInvokeResponse Error(int statusCode, InvokeError error) =>
        new(statusCode, ErrorType, new JsonObject { ["code"] = error.Code, ["message"] = error.Message });
}
