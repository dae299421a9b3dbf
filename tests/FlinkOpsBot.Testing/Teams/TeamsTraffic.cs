using System.Text.Json.Nodes;

namespace FlinkOpsBot.Testing.Teams;

/// <summary>
/// Activities shaped like real Teams traffic (chat-protocols.md §8–9; the botbuilder-js 2019 recordings): a channel
/// message with the bot's mention, a personal message, an <c>adaptiveCard/action</c> invoke and an <c>Action.Submit</c>.
/// </summary>
public static class TeamsTraffic
{
    /// <summary>The bot's Microsoft App ID in these activities (and the audience of their tokens).</summary>
    public const string AppId = "eac5e5c6-ab14-4f50-80cb-49213fe51b1a";

    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string BotId = "28:" + AppId;
    public const string ChannelConversationId = "19:9d3c71104f8c49128368b23a5eaeb86d@thread.skype;messageid=1571508491752";
    public const string PersonalConversationId = "a:1Zu8wK3u9-8LohH10diLSicoeHNSBwMtz2VNKrDCqPQc";
    public const string AnaMri = "29:1-gPLf2ZbH7vTqVNf0q2yd3P6FkJ0mHwhYm3Z0vMgkRk";
    public const string AnaObjectId = "6f1c3a52-8e1b-4c1e-9a53-2a0d6b3c0f11";
    public const string BoMri = "29:1Hh4UPrUvVOY5n9RtTRx2s1Zo3HnV9sGvH8BXGbV3WQ";
    public const string BoObjectId = "0b3d9f0e-5c3a-4a57-8f0a-9c2e0e7d4b22";

    /// <summary>A channel message: <c>&lt;at&gt;FlinkOpsBot&lt;/at&gt; {command}\n</c> with the mention entity, a clientInfo entity and the text/html copy.</summary>
    public static JsonObject ChannelMention(Uri serviceUrl, string command) => new()
    {
        ["text"] = $"<at>FlinkOpsBot</at> {command}\n",
        ["textFormat"] = "plain",
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "text/html",
            ["content"] = $"<div><div><span itemscope=\"\" itemtype=\"http://schema.skype.com/Mention\" itemid=\"0\">FlinkOpsBot</span>&nbsp;{command}</div></div>",
        }),
        ["type"] = "message",
        ["timestamp"] = "2019-10-19T18:08:11.7522004Z",
        ["localTimestamp"] = "2019-10-19T11:08:11.7522004-07:00",
        ["id"] = "1571508491752",
        ["channelId"] = "msteams",
        ["serviceUrl"] = serviceUrl.ToString(),
        ["from"] = new JsonObject { ["id"] = AnaMri, ["name"] = "Ana Ruiz", ["aadObjectId"] = AnaObjectId },
        ["conversation"] = new JsonObject
        {
            ["isGroup"] = true, ["conversationType"] = "channel", ["tenantId"] = TenantId, ["id"] = ChannelConversationId,
        },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "FlinkOpsBot" },
        ["entities"] = new JsonArray(
            new JsonObject
            {
                ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = "FlinkOpsBot" },
                ["text"] = "<at>FlinkOpsBot</at>",
                ["type"] = "mention",
            },
            new JsonObject { ["locale"] = "en-US", ["country"] = "US", ["platform"] = "Windows", ["type"] = "clientInfo" }),
        ["channelData"] = new JsonObject
        {
            ["teamsChannelId"] = "19:9d3c71104f8c49128368b23a5eaeb86d@thread.skype",
            ["teamsTeamId"] = "19:9d3c71104f8c49128368b23a5eaeb86d@thread.skype",
            ["channel"] = new JsonObject { ["id"] = "19:9d3c71104f8c49128368b23a5eaeb86d@thread.skype" },
            ["team"] = new JsonObject { ["id"] = "19:9d3c71104f8c49128368b23a5eaeb86d@thread.skype" },
            ["tenant"] = new JsonObject { ["id"] = TenantId },
        },
        ["locale"] = "en-US",
    };

    /// <summary>A personal (1:1) message: no mention, a conversation id starting <c>a:</c>.</summary>
    public static JsonObject Personal(Uri serviceUrl, string text, string fromMri = BoMri, string? fromObjectId = BoObjectId, string fromName = "Bo Lindqvist") => new()
    {
        ["text"] = text,
        ["textFormat"] = "plain",
        ["type"] = "message",
        ["timestamp"] = "2026-01-15T09:00:00.000Z",
        ["id"] = "1768467600000",
        ["channelId"] = "msteams",
        ["serviceUrl"] = serviceUrl.ToString(),
        ["from"] = fromObjectId is null
            ? new JsonObject { ["id"] = fromMri, ["name"] = fromName }
            : new JsonObject { ["id"] = fromMri, ["name"] = fromName, ["aadObjectId"] = fromObjectId },
        ["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = TenantId, ["id"] = PersonalConversationId },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "FlinkOpsBot" },
        ["entities"] = new JsonArray(new JsonObject { ["locale"] = "en-US", ["type"] = "clientInfo" }),
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
    };

    /// <summary>An <c>adaptiveCard/action</c> invoke for a click on a run card in the channel.</summary>
    public static JsonObject CardAction(Uri serviceUrl, string verb, string runId, string fromMri = BoMri, string fromObjectId = BoObjectId, string fromName = "Bo Lindqvist") => new()
    {
        ["name"] = "adaptiveCard/action",
        ["type"] = "invoke",
        ["timestamp"] = "2026-01-15T09:05:00.000Z",
        ["id"] = "f:2721799525349950340",
        ["channelId"] = "msteams",
        ["serviceUrl"] = serviceUrl.ToString(),
        ["from"] = new JsonObject { ["id"] = fromMri, ["name"] = fromName, ["aadObjectId"] = fromObjectId },
        ["conversation"] = new JsonObject
        {
            ["isGroup"] = true, ["conversationType"] = "channel", ["tenantId"] = TenantId, ["id"] = ChannelConversationId,
        },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "FlinkOpsBot" },
        ["replyToId"] = "1:activity-1",
        ["value"] = new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["id"] = verb,
                ["verb"] = verb,
                ["data"] = new JsonObject { ["runId"] = runId },
            },
            ["trigger"] = "manual",
        },
        ["channelData"] = new JsonObject
        {
            ["channel"] = new JsonObject { ["id"] = "19:9d3c71104f8c49128368b23a5eaeb86d@thread.skype" },
            ["tenant"] = new JsonObject { ["id"] = TenantId },
            ["source"] = new JsonObject { ["name"] = "message" },
        },
    };

    /// <summary>An <c>Action.Submit</c> click from an older client: a message with no text, <c>value {runId, verb}</c>, replying to the card.</summary>
    public static JsonObject Submit(Uri serviceUrl, string verb, string runId)
    {
        var activity = CardAction(serviceUrl, verb, runId);
        activity.Remove("name");
        activity["type"] = "message";
        activity["id"] = "1571508500000";
        activity["value"] = new JsonObject { ["runId"] = runId, ["verb"] = verb };
        return activity;
    }
}
