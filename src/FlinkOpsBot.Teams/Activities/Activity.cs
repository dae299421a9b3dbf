using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlinkOpsBot.Teams.Activities;

/// <summary>
/// The subset of a Bot Framework <c>Activity</c> the bot reads (Bot Framework REST API reference; real Teams traffic).
/// Unknown members are ignored; every member may be missing.
/// </summary>
internal sealed record Activity
{
    public const string MessageType = "message";
    public const string InvokeType = "invoke";
    public const string TeamsChannelId = "msteams";

    public string? Type { get; init; }
    public string? Id { get; init; }
    public string? Timestamp { get; init; }
    public string? ServiceUrl { get; init; }
    public string? ChannelId { get; init; }
    public ChannelAccount? From { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public string? Text { get; init; }
    public string? TextFormat { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
    public IReadOnlyList<Entity>? Entities { get; init; }
    public TeamsChannelData? ChannelData { get; init; }
    public string? ReplyToId { get; init; }
    public JsonElement? Value { get; init; }
    public string? Name { get; init; }

    /// <summary>The Entra tenant the activity comes from: <c>channelData.tenant.id</c>, else <c>conversation.tenantId</c>.</summary>
    [JsonIgnore]
    public string? TenantId => ChannelData?.Tenant?.Id is { Length: > 0 } id ? id : Conversation?.TenantId;
}

/// <summary>A person or bot: <c>{id: "29:…", name, aadObjectId}</c>.</summary>
internal sealed record ChannelAccount(string? Id, string? Name, string? AadObjectId = null);

/// <summary>A conversation: <c>{id, conversationType: personal|groupChat|channel, tenantId, isGroup}</c>.</summary>
internal sealed record ConversationAccount(string? Id, string? ConversationType = null, string? TenantId = null, bool? IsGroup = null, string? Name = null);

/// <summary>An attachment: <c>{contentType, content}</c>.</summary>
internal sealed record Attachment(string? ContentType, JsonElement? Content = null, string? ContentUrl = null, string? Name = null);

/// <summary>An entity; for <c>type: "mention"</c>, <c>text</c> (<c>&lt;at&gt;Name&lt;/at&gt;</c>) and <c>mentioned</c>.</summary>
internal sealed record Entity(string? Type, string? Text = null, ChannelAccount? Mentioned = null)
{
    public const string MentionType = "mention";
}

/// <summary>Teams' <c>channelData</c>: <c>tenant{id}</c>, <c>team{id,name}</c>, <c>channel{id,name}</c>.</summary>
internal sealed record TeamsChannelData(TeamsInfo? Tenant = null, TeamsInfo? Team = null, TeamsInfo? Channel = null, string? EventType = null);

/// <summary>An id and optional name inside <c>channelData</c>.</summary>
internal sealed record TeamsInfo(string? Id, string? Name = null);
