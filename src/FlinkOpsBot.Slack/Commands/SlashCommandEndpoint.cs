using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Slack.Files;
using FlinkOpsBot.Slack.Rendering;
using FlinkOpsBot.Slack.WebApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Slack.Commands;

/// <summary>
/// <c>POST /slack/commands</c>: a signed slash command becomes a <see cref="ChatCommand"/> for the pipeline. A reply
/// within the budget is the acknowledgement itself (ephemeral or in channel, as the reply says); a later one is
/// preceded by <c>{"response_type":"in_channel"}</c>, which shows the command to the channel, and arrives
/// through <c>response_url</c>.
/// <para>
/// Each command carries the delivery key <c>slack:{team_id}:cmd:{trigger_id}</c>, so the pipeline
/// (<see cref="DedupingCommandService"/>) handles one <c>trigger_id</c> once: a repeat, such as a retry marked
/// <c>X-Slack-Retry-Num</c>, is acknowledged 200 with the first answer shown only to the person who typed it. A retry
/// without a <c>trigger_id</c> cannot be matched and is acknowledged without being handled.
/// </para>
/// <para>A reply that carries a file (a timeline export) has it uploaded to the channel in the background (<see cref="SlackFileDelivery"/>).</para>
/// </summary>
internal sealed class SlashCommandEndpoint(
    ICommandService commands,
    AckBudget budget,
    SlackFileDelivery files,
    IOptions<SlackOptions> options,
    ILogger<SlashCommandEndpoint> logger)
{
    private const string Apology = "Something went wrong on our side; nothing was started.";

    /// <summary>The header Slack adds to a request it sends again (1, 2, 3) when the first was not acknowledged in time.</summary>
    public const string RetryNumHeader = "X-Slack-Retry-Num";

    /// <summary>Why Slack sent it again, e.g. <c>http_timeout</c>.</summary>
    public const string RetryReasonHeader = "X-Slack-Retry-Reason";

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var form = http.Request.Form;
        if (form["ssl_check"] == "1") return Results.Ok();
        if (SlashCommand.From(form) is not { } command)
        {
            SlackLog.RequestMalformed(logger, http.Request.Path, "a slash command field is missing");
            return Results.BadRequest();
        }
        if (!options.Value.AcceptsApp(command.ApiAppId))
        {
            SlackLog.WrongApp(logger, http.Request.Path, command.ApiAppId);
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var triggerId = form["trigger_id"] is [{ Length: > 0 } trigger] ? trigger : null;
        if (triggerId is null && http.Request.Headers[RetryNumHeader] is [{ } retryNum, ..])
        {
            SlackLog.RetryIgnored(logger, http.Request.Path, retryNum, http.Request.Headers[RetryReasonHeader]);
            return Results.Ok();
        }
        var chatCommand = command.ToChatCommand() with { DeliveryKey = triggerId is null ? null : DeliveryKey(command.TeamId, triggerId) };
        var traceId = AckBudget.TraceIdOf(http);
        var (reply, inTime) = await budget.RunAsync(
            cancellationToken => commands.HandleAsync(chatCommand, cancellationToken), chatCommand.Actor.Key, traceId, Apology);
        files.UploadLater(reply, chatCommand.Channel, command.ResponseUrl, traceId);
        if (inTime) return Ack(Message(await reply));

        budget.DeliverLater(reply, command.ResponseUrl, Message, traceId);
        return Ack(new ResponseMessage(ResponseMessage.InChannel));
    }

    /// <summary>The delivery key of a slash command: <c>slack:{team_id}:cmd:{trigger_id}</c> (a trigger id is unique per invocation).</summary>
    public static string DeliveryKey(string teamId, string triggerId) => $"slack:{teamId}:cmd:{triggerId}";

    /// <summary>The answer; a duplicate's is shown only to the person, so the channel does not see a run start twice.</summary>
    private static ResponseMessage Message(CommandReply reply) => new(
        reply.Visibility == ReplyVisibility.InChannel && !reply.IsDuplicate ? ResponseMessage.InChannel : ResponseMessage.Ephemeral,
        Mrkdwn.Escape(reply.Text));

    private static IResult Ack(ResponseMessage message) => Results.Json(message, SlackJsonContext.Default.ResponseMessage);
}
