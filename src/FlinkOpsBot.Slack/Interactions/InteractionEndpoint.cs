using FlinkOpsBot.Core.Approvals;
using System.Text.Json;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Slack.Commands;
using FlinkOpsBot.Slack.Rendering;
using FlinkOpsBot.Slack.WebApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Slack.Interactions;

/// <summary>
/// <c>POST /slack/interactions</c>: a signed <c>block_actions</c> click on a card's Approve, Reject or Cancel button
/// becomes a <see cref="ChatAction"/> for the pipeline (Approve's value carries the plan hash the card showed:
/// <see cref="CardActions.TryParseValue"/>). The answer is always an empty 200 (the publisher updates the
/// card); a refusal goes to the clicker alone through <c>response_url</c>. Other payload types and unknown action
/// ids are acknowledged and ignored.
/// <para>
/// A click carries the delivery key <c>slack:{team}:act:{user}:{container.message_ts}:{action_id}:{value}</c>: the same
/// person on the same button of the same card. Within the delivery window the pipeline (<see cref="DedupingCommandService"/>)
/// handles it once, so a double click or a retry (<c>X-Slack-Retry-Num</c>) is one approval; a second person's click
/// has its own key. A duplicate is acknowledged with nothing said (the first click's answer was already given). A retry
/// without <c>container.message_ts</c> cannot be matched and is acknowledged without being handled.
/// </para>
/// </summary>
internal sealed class InteractionEndpoint(
    ICommandService commands,
    AckBudget budget,
    IOptions<SlackOptions> options,
    ILogger<InteractionEndpoint> logger)
{
    private const string Apology = "Something went wrong on our side while recording your click; check the card before trying again.";

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        if (Parse(http.Request.Form["payload"]) is not { } payload)
        {
            SlackLog.RequestMalformed(logger, http.Request.Path, "no interaction payload");
            return Results.BadRequest();
        }
        if (!options.Value.AcceptsApp(payload.ApiAppId))
        {
            SlackLog.WrongApp(logger, http.Request.Path, payload.ApiAppId);
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        var clicked = payload.Type == InteractionPayload.BlockActions
            ? payload.Actions?.FirstOrDefault(a => CardActions.Parse(a?.ActionId) is not null)
            : null;
        if (clicked is null) return Results.Ok();
        if (ReadAction(payload, clicked) is not ({ } action, { } responseUrl))
        {
            SlackLog.RequestMalformed(logger, http.Request.Path, "a block_actions field is missing");
            return Results.BadRequest();
        }
        if (action.DeliveryKey is null && http.Request.Headers[SlashCommandEndpoint.RetryNumHeader] is [{ } retryNum, ..])
        {
            SlackLog.RetryIgnored(logger, http.Request.Path, retryNum, http.Request.Headers[SlashCommandEndpoint.RetryReasonHeader]);
            return Results.Ok();
        }

        var traceId = AckBudget.TraceIdOf(http);
        var (reply, _) = await budget.RunAsync(
            cancellationToken => commands.HandleActionAsync(action, cancellationToken), action.Actor.Key, traceId, Apology);
        budget.DeliverLater(reply, responseUrl, Refusal, traceId);
        return Results.Ok();
    }

    private static InteractionPayload? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            return JsonSerializer.Deserialize(json, SlackJsonContext.Default.InteractionPayload);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The click as a pipeline action, and where to answer the clicker; null when a field the bot needs is missing.</summary>
    private static (ChatAction Action, Uri ResponseUrl)? ReadAction(InteractionPayload payload, PayloadAction clicked)
    {
        var team = payload.Team?.Id ?? payload.User?.TeamId;
        var channel = payload.Channel?.Id ?? payload.Container?.ChannelId;
        if (payload.User is not { Id: { Length: > 0 } userId } user
            || string.IsNullOrEmpty(team)
            || string.IsNullOrEmpty(channel)
            || CardActions.Parse(clicked.ActionId) is not { } gateAction
            || !CardActions.TryParseValue(clicked.Value, out var runId, out var planHash)
            || ResponseUrlClient.Parse(payload.ResponseUrl) is not { } responseUrl)
        {
            return null;
        }
        var actor = new Actor(SlackChannel.PlatformName, team, userId, user.Username ?? user.Name ?? userId);
        var key = payload.Container?.MessageTs is { Length: > 0 } messageTs ? DeliveryKey(team, userId, messageTs, clicked.ActionId!, clicked.Value!) : null;
        return (new ChatAction(runId, gateAction, actor, new ChannelRef(SlackChannel.PlatformName, team, channel))
        {
            DeliveryKey = key,
            PlanHash = gateAction == GateAction.Approve ? planHash : null,
        }, responseUrl);
    }

    /// <summary>The delivery key of a click: <c>slack:{team}:act:{user}:{message_ts}:{action_id}:{value}</c>.</summary>
    public static string DeliveryKey(string team, string user, string messageTs, string actionId, string value) =>
        $"slack:{team}:act:{user}:{messageTs}:{actionId}:{value}";

    /// <summary>
    /// A refusal, for the clicker's eyes only, below the card it refers to; nothing for an accepted action (the card shows
    /// it), nor for a duplicate (the first click was answered).
    /// </summary>
    private static ResponseMessage? Refusal(CommandReply reply) =>
        reply.Accepted || reply.IsDuplicate ? null : new ResponseMessage(ResponseMessage.Ephemeral, Mrkdwn.Escape(reply.Text), ReplaceOriginal: false);
}
