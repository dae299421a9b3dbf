using FlinkOpsBot.Core.Commands;
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
/// </summary>
internal sealed class SlashCommandEndpoint(
    ICommandService commands,
    AckBudget budget,
    IOptions<SlackOptions> options,
    ILogger<SlashCommandEndpoint> logger)
{
    private const string Apology = "Something went wrong on our side; nothing was started.";

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

        var chatCommand = command.ToChatCommand();
        var traceId = AckBudget.TraceIdOf(http);
        var (reply, inTime) = await budget.RunAsync(
            cancellationToken => commands.HandleAsync(chatCommand, cancellationToken), chatCommand.Actor.Key, traceId, Apology);
        if (inTime) return Ack(Message(await reply));

        budget.DeliverLater(reply, command.ResponseUrl, Message, traceId);
        return Ack(new ResponseMessage(ResponseMessage.InChannel));
    }

    private static ResponseMessage Message(CommandReply reply) => new(
        reply.Visibility == ReplyVisibility.InChannel ? ResponseMessage.InChannel : ResponseMessage.Ephemeral,
        Mrkdwn.Escape(reply.Text));

    private static IResult Ack(ResponseMessage message) => Results.Json(message, SlackJsonContext.Default.ResponseMessage);
}
