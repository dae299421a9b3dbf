namespace FlinkOpsBot.Core.Identity;

/// <summary>
/// A verified person (or the bot itself) acting on a run. Decisions use <see cref="Key"/>, never
/// <see cref="DisplayName"/>: the adapter that built an actor has verified the request it came from
/// (Slack signature, Teams JWT, or the local shell).
/// </summary>
/// <param name="Platform">Where the identity is verified: <c>slack</c>, <c>teams</c>, <c>local</c> or <c>system</c>.</param>
/// <param name="Tenant">Slack team id (<c>T…</c>), Entra tenant id, or empty for local and system actors.</param>
/// <param name="Id">Slack user id (<c>U…</c>), Entra object id, or the local user name.</param>
/// <param name="DisplayName">How to show the actor in chat; for display only.</param>
public sealed record Actor(string Platform, string Tenant, string Id, string DisplayName)
{
    /// <summary>The bot itself, for events no person caused (timeouts, automatic rollback).</summary>
    public static Actor System { get; } = new("system", "", "flinkopsbot", "FlinkOpsBot");

    /// <summary>
    /// The user principal name (e.g. <c>ana@contoso.com</c>) when the adapter looked it up from the platform with the
    /// bot's own credentials (Teams: the Connector's member API); null otherwise. Used to match approvers named by UPN.
    /// </summary>
    public string? Upn { get; init; }

    /// <summary>A stable identity key, <c>platform:tenant:id</c>, used for approver dedupe and policy matching.</summary>
    public string Key => $"{Platform}:{Tenant}:{Id}";

    /// <summary>How the actor is named in chat: a Slack mention for Slack users, the display name otherwise.</summary>
    public string Mention => Platform == "slack" ? $"<@{Id}>" : DisplayName;

    /// <summary>True when both actors are the same verified identity.</summary>
    public bool IsSamePersonAs(Actor other) => Key == other.Key;

    /// <inheritdoc />
    public override string ToString() => DisplayName;
}
