namespace FlinkOpsBot.Slack.Interactions;

/// <summary>
/// The fields the bot reads from an interactivity payload (the form field <c>payload</c>, URL-encoded JSON);
/// for <c>block_actions</c>: who clicked, where, which buttons, and the <c>response_url</c> for an answer.
/// </summary>
internal sealed record InteractionPayload(
    string? Type,
    string? ApiAppId,
    PayloadTeam? Team,
    PayloadUser? User,
    PayloadChannel? Channel,
    PayloadContainer? Container,
    string? ResponseUrl,
    IReadOnlyList<PayloadAction>? Actions)
{
    public const string BlockActions = "block_actions";
}

/// <summary>The workspace: <c>team.id</c> (<c>T…</c>).</summary>
internal sealed record PayloadTeam(string? Id);

/// <summary>The person who acted: <c>user.id</c>, names for display, and the workspace in <c>user.team_id</c>.</summary>
internal sealed record PayloadUser(string? Id, string? Username, string? Name, string? TeamId);

/// <summary>The conversation of the message: <c>channel.id</c>.</summary>
internal sealed record PayloadChannel(string? Id);

/// <summary>Where the component lives: <c>container.channel_id</c> and <c>container.message_ts</c> (the card) for a message.</summary>
internal sealed record PayloadContainer(string? ChannelId, string? MessageTs = null);

/// <summary>One clicked component: <c>action_id</c> and the button's <c>value</c>.</summary>
internal sealed record PayloadAction(string? ActionId, string? Value);
