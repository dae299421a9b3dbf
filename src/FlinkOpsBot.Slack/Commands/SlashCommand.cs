using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Slack.WebApi;
using Microsoft.AspNetCore.Http;

namespace FlinkOpsBot.Slack.Commands;

/// <summary>
/// The fields of a slash command the bot uses (docs: "Implementing slash commands"); the deprecated
/// <c>token</c> is ignored, the signature already proved the sender.
/// </summary>
internal sealed record SlashCommand(
    string TeamId,
    string ChannelId,
    string UserId,
    string UserName,
    string Text,
    Uri ResponseUrl,
    string? ApiAppId)
{
    /// <summary>The command from a signed form, or null when a required field is missing or <c>response_url</c> is not an http(s) URL.</summary>
    public static SlashCommand? From(IFormCollection form)
    {
        if (Field(form, "team_id") is not { } team
            || Field(form, "channel_id") is not { } channel
            || Field(form, "user_id") is not { } user
            || Field(form, "command") is null
            || ResponseUrlClient.Parse(Field(form, "response_url")) is not { } responseUrl)
        {
            return null;
        }
        return new SlashCommand(team, channel, user, Field(form, "user_name") ?? user, form["text"].ToString(), responseUrl, Field(form, "api_app_id"));
    }

    /// <summary>The command for the pipeline, typed by a verified Slack user in a Slack channel.</summary>
    public ChatCommand ToChatCommand() => new(
        Text,
        new Actor(SlackChannel.PlatformName, TeamId, UserId, UserName),
        new ChannelRef(SlackChannel.PlatformName, TeamId, ChannelId));

    private static string? Field(IFormCollection form, string name) =>
        form[name] is [{ Length: > 0 } value] ? value : null;
}
