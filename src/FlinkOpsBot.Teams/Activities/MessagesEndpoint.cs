using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Teams.Auth;
using FlinkOpsBot.Teams.Connector;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Teams.Activities;

/// <summary>
/// <c>POST /api/messages</c>, the bot's messaging endpoint. Every activity is parsed (400 when it is not one) and its
/// bearer token verified for its <c>channelId</c> and <c>serviceUrl</c> (401, empty, when refused) before anything else
/// happens; only then is its serviceUrl trusted for replies. Then:
/// <list type="bullet">
/// <item>a <c>message</c> with text is a command: acknowledged at once (200, empty), handled in the background, and
/// answered with a reply to the message through the Connector;</item>
/// <item>a <c>message</c> with an <c>Action.Submit</c> value <c>{runId, verb}</c> is a gate decision from an older
/// client: acknowledged at once; a refusal is answered with a reply;</item>
/// <item>an <c>adaptiveCard/action</c> invoke is a click on a card (<c>approve</c>, <c>reject</c>, <c>refresh</c>): the
/// decision is taken within the request and the answer is the clicker's card (with the refusal as a notice);</item>
/// <item>other invokes are answered 501 (as botbuilder does); other activity types are acknowledged and ignored.</item>
/// </list>
/// Decisions use the sender's Entra object id and tenant, never a name; a sender without one is refused politely.
/// <para>
/// Deliveries carry keys for the pipeline's dedupe (<see cref="DedupingCommandService"/>): a typed command
/// <c>teams:{tenant}:msg:{conversation id}:{activity id}</c> (activity ids are unique within a conversation); a decision,
/// by invoke or <c>Action.Submit</c>, <c>teams:{tenant}:act:{from.aadObjectId}:{verb}:{run id}</c>, which covers both the
/// same invoke delivered twice and a double click (two activities). A duplicate command or Submit gets no second reply;
/// a duplicate invoke is answered like the first, with the clicker's card.
/// </para>
/// </summary>
internal sealed class MessagesEndpoint(
    IInboundTokenValidator validator,
    ICommandService commands,
    ServiceUrls serviceUrls,
    ConnectorClient connector,
    TeamsIdentity identity,
    RunViews views,
    IHostApplicationLifetime lifetime,
    ILogger<MessagesEndpoint> logger)
{
    public const string NoIdentity =
        "I can only act for people signed in to Microsoft Teams with a work or school account of this organization; I could not tell who you are, so I did nothing.";

    private const string CommandApology = "Something went wrong on our side; nothing was started.";
    private const string ActionApology = "Something went wrong on our side while recording your click; check the card before trying again.";

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var aborted = http.RequestAborted;
        var (activity, status, problem) = await ActivityReader.ReadAsync(http.Request, aborted);
        if (activity is null)
        {
            TeamsLog.RequestMalformed(logger, http.Request.Path, status, problem ?? "?");
            return Results.StatusCode(status);
        }
        if (activity is not { ChannelId: { Length: > 0 } channelId } || ServiceUrls.Normalize(activity.ServiceUrl) is not { } serviceUrl)
        {
            TeamsLog.RequestMalformed(logger, http.Request.Path, StatusCodes.Status400BadRequest, "channelId or serviceUrl is missing");
            return Results.BadRequest();
        }

        var auth = await validator.ValidateAsync(http.Request.Headers.Authorization, channelId, activity.ServiceUrl!, aborted);
        if (!auth.IsValid)
        {
            TeamsLog.RequestRejected(logger, http.Request.Path, auth.Failure ?? "refused");
            return Results.Unauthorized();
        }
        // Verified from here on.
        serviceUrls.RememberVerified(serviceUrl, activity.Conversation?.Id);

        if (channelId != Activity.TeamsChannelId || activity.Conversation?.Id is not { Length: > 0 })
        {
            TeamsLog.ActivityIgnored(logger, activity.Type, activity.Name, channelId);
            return activity.Type == Activity.InvokeType ? Results.StatusCode(StatusCodes.Status501NotImplemented) : Results.Ok();
        }
        var traceId = TraceIdOf(http);
        return activity.Type switch
        {
            Activity.MessageType => Message(activity, serviceUrl, traceId),
            Activity.InvokeType when activity.Name == CardActionRequest.InvokeName => await CardInvokeAsync(activity, serviceUrl, traceId, aborted),
            Activity.InvokeType => Ignored(activity, StatusCodes.Status501NotImplemented),
            _ => Ignored(activity, StatusCodes.Status200OK),
        };
    }

    private IResult Ignored(Activity activity, int status)
    {
        TeamsLog.ActivityIgnored(logger, activity.Type, activity.Name, activity.ChannelId);
        return status == StatusCodes.Status200OK ? Results.Ok() : Results.StatusCode(status);
    }

    /// <summary>A typed command or an <c>Action.Submit</c> click: acknowledged now, handled on the application's lifetime.</summary>
    private IResult Message(Activity activity, Uri serviceUrl, string traceId)
    {
        var submit = CardActionRequest.FromSubmit(activity.Value);
        if (submit is null && activity.Value is not null && string.IsNullOrWhiteSpace(activity.Text)) return Ignored(activity, StatusCodes.Status200OK);
        if (submit is { Decision: null }) return Results.Ok(); // refresh from a Submit fallback: the shared card is current

        _ = Task.Run(() => submit is null
            ? HandleCommandAsync(activity, serviceUrl, traceId, lifetime.ApplicationStopping)
            : HandleSubmitAsync(activity, submit, serviceUrl, traceId, lifetime.ApplicationStopping));
        return Results.Ok();
    }

    private async Task HandleCommandAsync(Activity activity, Uri serviceUrl, string traceId, CancellationToken cancellationToken)
    {
        try
        {
            string answer;
            if (TeamsIdentity.ActorOf(activity) is not { } sender)
            {
                TeamsLog.NoEntraIdentity(logger, activity.From?.Id);
                answer = NoIdentity;
            }
            else
            {
                var actor = await identity.WithUpnAsync(sender, activity, serviceUrl, cancellationToken);
                var command = new ChatCommand(MentionText.CommandText(activity), actor, TeamsIdentity.ChannelOf(activity, actor, serviceUrl))
                {
                    DeliveryKey = string.IsNullOrEmpty(activity.Id) ? null : CommandDeliveryKey(actor.Tenant, activity.Conversation!.Id!, activity.Id),
                };
                var reply = await GuardAsync(ct => commands.HandleAsync(command, ct), actor, traceId, CommandApology, cancellationToken);
                if (reply.IsDuplicate) return; // the first delivery answers
                answer = reply.File is { } file ? ReplyFileText.Inline(reply.Text, file) : reply.Text;
            }
            await ReplyAsync(activity, serviceUrl, answer, cancellationToken);
        }
        catch (Exception e)
        {
            TeamsLog.ReplyFailed(logger, e, traceId);
        }
    }

    private async Task HandleSubmitAsync(Activity activity, CardActionRequest click, Uri serviceUrl, string traceId, CancellationToken cancellationToken)
    {
        try
        {
            if (TeamsIdentity.ActorOf(activity) is not { } sender)
            {
                TeamsLog.NoEntraIdentity(logger, activity.From?.Id);
                await ReplyAsync(activity, serviceUrl, NoIdentity, cancellationToken);
                return;
            }
            var actor = await identity.WithUpnAsync(sender, activity, serviceUrl, cancellationToken);
            var action = new ChatAction(click.RunId, click.Decision!.Value, actor, TeamsIdentity.ChannelOf(activity, actor, serviceUrl))
            {
                DeliveryKey = ActionDeliveryKey(actor, click),
                PlanHash = click.PlanHash,
            };
            var reply = await GuardAsync(ct => commands.HandleActionAsync(action, ct), actor, traceId, ActionApology, cancellationToken);
            TeamsLog.CardAction(logger, click.Verb, click.RunId.Value, actor.Key, Outcome(reply));
            // An accepted decision shows on the card (the publisher updates it); a refusal is said to the clicker, once.
            if (!reply.Accepted && !reply.IsDuplicate) await ReplyAsync(activity, serviceUrl, reply.Text, cancellationToken);
        }
        catch (Exception e)
        {
            TeamsLog.ReplyFailed(logger, e, traceId);
        }
    }

    /// <summary>An <c>adaptiveCard/action</c> invoke: decided within the request; the answer is the clicker's card.</summary>
    private async Task<IResult> CardInvokeAsync(Activity activity, Uri serviceUrl, string traceId, CancellationToken cancellationToken)
    {
        var (click, error) = CardActionRequest.FromInvoke(activity.Value);
        if (click is null) return Invoke(AdaptiveCardInvokeResponse.Error(StatusCodes.Status400BadRequest, error!));
        if (TeamsIdentity.ActorOf(activity) is not { } sender)
        {
            TeamsLog.NoEntraIdentity(logger, activity.From?.Id);
            return Invoke(AdaptiveCardInvokeResponse.Message(NoIdentity));
        }

        var actor = await identity.WithUpnAsync(sender, activity, serviceUrl, cancellationToken);
        string? notice = null;
        if (click.Decision is { } decision)
        {
            var action = new ChatAction(click.RunId, decision, actor, TeamsIdentity.ChannelOf(activity, actor, serviceUrl))
            {
                DeliveryKey = ActionDeliveryKey(actor, click),
                PlanHash = click.PlanHash,
            };
            var reply = await GuardAsync(ct => commands.HandleActionAsync(action, ct), actor, traceId, ActionApology, cancellationToken);
            TeamsLog.CardAction(logger, click.Verb, click.RunId.Value, actor.Key, Outcome(reply));
            notice = reply.Accepted ? null : reply.Text;
        }
        var card = await views.RenderForAsync(click.RunId, actor, notice, cancellationToken);
        return card is null
            ? Invoke(AdaptiveCardInvokeResponse.Message(notice ?? $"There is no run {click.RunId}."))
            : Invoke(AdaptiveCardInvokeResponse.Card(card));
    }

    /// <summary>A typed command's delivery key: <c>teams:{tenant}:msg:{conversation id}:{activity id}</c>.</summary>
    public static string CommandDeliveryKey(string tenant, string conversationId, string activityId) =>
        $"{TeamsIdentity.Platform}:{tenant}:msg:{conversationId}:{activityId}";

    /// <summary>
    /// A decision's delivery key: <c>teams:{tenant}:act:{Entra object id}:{verb}:{run id}</c>, the same for every click of
    /// one person on one button; an Approve that carries a plan hash ends in <c>:{plan hash}</c>, so approving the
    /// re-opened gate of a changed plan is a new decision, not a repeat of the first.
    /// </summary>
    public static string ActionDeliveryKey(Actor actor, CardActionRequest click) =>
        $"{TeamsIdentity.Platform}:{actor.Tenant}:act:{actor.Id}:{click.Verb}:{click.RunId.Value}{(click.PlanHash is { } hash ? ":" + hash : "")}";

    private static string Outcome(CommandReply reply) => reply.IsDuplicate ? "duplicate" : reply.Accepted ? "accepted" : "refused";

    private static IResult Invoke(AdaptiveCardInvokeResponse response) =>
        Results.Json(response, TeamsJsonContext.Default.AdaptiveCardInvokeResponse, "application/json; charset=utf-8", StatusCodes.Status200OK);

    /// <summary>Runs the pipeline; an exception becomes <paramref name="apology"/> with the trace id, and is logged with it.</summary>
    private async Task<CommandReply> GuardAsync(Func<CancellationToken, Task<CommandReply>> handle, Actor actor, string traceId, string apology, CancellationToken cancellationToken)
    {
        try
        {
            return await handle(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            TeamsLog.ServiceFailed(logger, e, actor.Key, traceId);
            return CommandReply.Refused($"{apology} (ref: {traceId})");
        }
    }

    private Task ReplyAsync(Activity activity, Uri serviceUrl, string text, CancellationToken cancellationToken)
    {
        var conversationId = activity.Conversation!.Id!;
        var message = OutboundActivity.Message(text);
        return string.IsNullOrEmpty(activity.Id)
            ? connector.SendToConversationAsync(serviceUrl, conversationId, message, cancellationToken)
            : connector.ReplyToActivityAsync(serviceUrl, conversationId, activity.Id, message, cancellationToken);
    }

    /// <summary>The id that ties a chat message to the log lines of its request: the W3C trace id, or the request's id.</summary>
    private static string TraceIdOf(HttpContext http) => System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
}
