using System.Text.Json.Nodes;
using FlinkOpsBot.Teams.Activities;

namespace FlinkOpsBot.Teams.Connector;

/// <summary>An activity the bot sends: a text message, or a card (never both: Teams would split them and lose the id).</summary>
internal sealed record OutboundActivity(
    string Type,
    string? Id = null,
    string? Text = null,
    string? TextFormat = null,
    IReadOnlyList<OutboundAttachment>? Attachments = null,
    string? ReplyToId = null)
{
    public const string Markdown = "markdown";

    public static OutboundActivity Message(string text, string? replyToId = null) =>
        new(Activity.MessageType, Text: text, TextFormat: Markdown, ReplyToId: replyToId);

    public static OutboundActivity AdaptiveCard(JsonObject card, string? id = null, string? replyToId = null) =>
        new(Activity.MessageType, Id: id, Attachments: [new OutboundAttachment(AdaptiveCardInvokeResponse.CardType, card)], ReplyToId: replyToId);
}

/// <summary>An attachment: <c>{contentType, content}</c>.</summary>
internal sealed record OutboundAttachment(string ContentType, JsonObject Content);

/// <summary>The Connector's <c>ResourceResponse</c>: <c>{"id": "1:1Zu8…"}</c>.</summary>
internal sealed record ResourceResponse(string? Id);

/// <summary>The Connector's <c>ErrorResponse</c>: <c>{"error": {"code", "message"}}</c>.</summary>
internal sealed record ErrorResponse(ErrorBody? Error);

/// <summary>The Connector's error details.</summary>
internal sealed record ErrorBody(string? Code, string? Message);

/// <summary>A member as the Connector describes it (<c>TeamsChannelAccount</c>); the UPN comes only from here.</summary>
internal sealed record TeamsChannelAccount(string? Id, string? Name = null, string? AadObjectId = null, string? UserPrincipalName = null, string? Email = null, string? TenantId = null);
