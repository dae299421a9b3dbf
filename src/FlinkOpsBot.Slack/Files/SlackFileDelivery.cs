using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Slack.Files;

/// <summary>
/// Delivers the file of a slash command's reply (<see cref="CommandReply.File"/>, e.g. a timeline export) once the
/// reply is known, in the background: uploaded to the command's channel with <see cref="SlackFileUploader"/>. When
/// the upload fails, the person who typed the command gets one ephemeral line through the command's
/// <c>response_url</c> saying why and what to do (invite the bot; or fetch the export over HTTP).
/// </summary>
internal sealed partial class SlackFileDelivery(
    SlackFileUploader uploader,
    ResponseUrlClient responseUrls,
    IHostApplicationLifetime lifetime,
    ILogger<SlackFileDelivery> logger)
{
    /// <summary>Uploads the reply's file when there is one; returns at once.</summary>
    public void UploadLater(Task<CommandReply> reply, ChannelRef channel, Uri responseUrl, string traceId) =>
        _ = DeliverAsync(reply, channel, responseUrl, traceId);

    /// <summary>What <see cref="UploadLater"/> runs; awaitable for tests.</summary>
    internal async Task DeliverAsync(Task<CommandReply> reply, ChannelRef channel, Uri responseUrl, string traceId)
    {
        if ((await reply).File is not { } file) return;
        try
        {
            var fileId = await uploader.UploadAsync(channel.ConversationId, channel.ThreadId, file, file.Title, lifetime.ApplicationStopping);
            LogUploaded(logger, file.FileName, fileId, channel.ConversationId);
        }
        catch (Exception e) when (e is SlackApiException or HttpRequestException or TaskCanceledException)
        {
            var error = e is SlackApiException slack ? slack.Error : "unreachable";
            LogUploadFailed(logger, e, file.FileName, channel.ConversationId, error, traceId);
            await TellAsync(responseUrl, Apology(error, file), traceId);
        }
    }

    private static string Apology(string error, ReplyFile file)
    {
        var why = error switch
        {
            "not_in_channel" or "channel_not_found" => "the bot is not in this channel; invite it with `/invite @FlinkOpsBot` and export again",
            "missing_scope" => "the Slack app lacks the files:write scope; reinstall it from the updated manifest",
            _ => $"Slack answered {error}; try again in a minute",
        };
        return $"Could not upload {file.FileName}: {why}." + (file.Link is { } link ? $" It is also available at {link} (with the export token)." : "");
    }

    private async Task TellAsync(Uri responseUrl, string text, string traceId)
    {
        try
        {
            await responseUrls.PostAsync(responseUrl, new ResponseMessage(ResponseMessage.Ephemeral, text), lifetime.ApplicationStopping);
        }
        catch (Exception e)
        {
            SlackLog.ResponseUrlFailed(logger, e, traceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Uploaded {FileName} as {FileId} to {Channel}")]
    private static partial void LogUploaded(ILogger logger, string fileName, string fileId, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not upload {FileName} to {Channel}: {Error} (trace {TraceId})")]
    private static partial void LogUploadFailed(ILogger logger, Exception exception, string fileName, string channel, string error, string traceId);
}
