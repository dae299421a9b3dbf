using System.Diagnostics;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Slack.WebApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Slack;

/// <summary>
/// Slack wants every request acknowledged within 3 seconds. This runs the command pipeline for one request and
/// waits for its reply at most <see cref="SlackOptions.AckBudget"/>, counted from the call; a reply that misses the
/// budget, or one meant only for the clicker, is delivered through the request's <c>response_url</c> when it arrives.
/// The pipeline runs on the application's lifetime, not the request's, so acknowledging does not cancel it.
/// </summary>
internal sealed class AckBudget(
    IOptions<SlackOptions> options,
    TimeProvider time,
    ResponseUrlClient responseUrls,
    IHostApplicationLifetime lifetime,
    ILogger<AckBudget> logger)
{
    /// <summary>The id that ties a chat message to the log lines of its request: the W3C trace id, or the request's id.</summary>
    public static string TraceIdOf(HttpContext http) => Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;

    /// <summary>
    /// Starts <paramref name="handle"/> and waits up to the budget. The reply task never faults: an exception becomes
    /// <paramref name="apology"/> with the trace id appended, and is logged with it; no stack trace reaches chat.
    /// </summary>
    public async Task<(Task<CommandReply> Reply, bool InTime)> RunAsync(
        Func<CancellationToken, Task<CommandReply>> handle, string userKey, string traceId, string apology)
    {
        using var budget = new CancellationTokenSource();
        // The clock starts before the pipeline does, as Slack's started when the request arrived.
        var deadline = Task.Delay(options.Value.AckBudget, time, budget.Token);
        var reply = GuardAsync(handle, userKey, traceId, apology);
        var inTime = await Task.WhenAny(reply, deadline) == reply;
        await budget.CancelAsync();
        return (reply, inTime);
    }

    /// <summary>Posts <paramref name="message"/>'s answer for the reply to <paramref name="responseUrl"/> once it arrives; null posts nothing.</summary>
    public void DeliverLater(Task<CommandReply> reply, Uri responseUrl, Func<CommandReply, ResponseMessage?> message, string traceId) =>
        _ = DeliverAsync(reply, responseUrl, message, traceId);

    private async Task<CommandReply> GuardAsync(Func<CancellationToken, Task<CommandReply>> handle, string userKey, string traceId, string apology)
    {
        try
        {
            return await handle(lifetime.ApplicationStopping);
        }
        catch (Exception e)
        {
            SlackLog.ServiceFailed(logger, e, userKey, traceId);
            return CommandReply.Refused($"{apology} (ref: {traceId})");
        }
    }

    private async Task DeliverAsync(Task<CommandReply> reply, Uri responseUrl, Func<CommandReply, ResponseMessage?> message, string traceId)
    {
        try
        {
            if (message(await reply) is { } answer) await responseUrls.PostAsync(responseUrl, answer, lifetime.ApplicationStopping);
        }
        catch (Exception e)
        {
            SlackLog.ResponseUrlFailed(logger, e, traceId);
        }
    }
}
