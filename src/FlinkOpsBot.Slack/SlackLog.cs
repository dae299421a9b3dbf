using FlinkOpsBot.Slack.Verification;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Slack;

/// <summary>The Slack adapter's log lines. None carries a secret, a token or a request body.</summary>
internal static partial class SlackLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack request to {Path} refused (401): {Check}")]
    public static partial void RequestRejected(ILogger logger, PathString path, SignatureCheck check);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signed Slack request to {Path} is malformed (400): {Problem}")]
    public static partial void RequestMalformed(ILogger logger, PathString path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signed Slack request to {Path} is for app {ApiAppId}, not this one (403)")]
    public static partial void WrongApp(ILogger logger, PathString path, string? apiAppId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The command service failed on a Slack request from {UserKey} (ref {TraceId})")]
    public static partial void ServiceFailed(ILogger logger, Exception exception, string userKey, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver a reply to Slack's response_url (ref {TraceId})")]
    public static partial void ResponseUrlFailed(ILogger logger, Exception exception, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} answered {Outcome}; retry {Retry} in {Delay}")]
    public static partial void Retrying(ILogger logger, string method, string outcome, int retry, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack retry {RetryNum} ({RetryReason}) to {Path} has no delivery key; acknowledged and not handled again")]
    public static partial void RetryIgnored(ILogger logger, PathString path, string retryNum, string? retryReason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update the card of run {RunId} (coalesced chat.update); the next change re-renders it")]
    public static partial void CoalescedUpdateFailed(ILogger logger, Exception exception, string runId);
}
