using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Teams;

/// <summary>The Teams adapter's log lines. None carries a secret, a token or a request body.</summary>
internal static partial class TeamsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams request to {Path} refused (401): {Failure}")]
    public static partial void RequestRejected(ILogger logger, PathString path, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams request to {Path} is malformed ({Status}): {Problem}")]
    public static partial void RequestMalformed(ILogger logger, PathString path, int status, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Verified Teams activity {ActivityType} ({Name}) from channel {ChannelId} ignored")]
    public static partial void ActivityIgnored(ILogger logger, string? activityType, string? name, string? channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verified Teams activity from {FromId} has no Entra object id or tenant; refused politely")]
    public static partial void NoEntraIdentity(ILogger logger, string? fromId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The command service failed on a Teams request from {UserKey} (ref {TraceId})")]
    public static partial void ServiceFailed(ILogger logger, Exception exception, string userKey, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver a reply to Teams conversation (ref {TraceId})")]
    public static partial void ReplyFailed(ILogger logger, Exception exception, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up the UPN of {UserKey}; approvers named by UPN will not match this time")]
    public static partial void UpnLookupFailed(ILogger logger, Exception exception, string userKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams card action {Verb} on run {RunId} by {UserKey}: {Outcome}")]
    public static partial void CardAction(ILogger logger, string verb, string runId, string userKey, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams Connector {Method} answered {Outcome}; retry {Retry} in {Delay}")]
    public static partial void ConnectorRetrying(ILogger logger, string method, string outcome, int retry, TimeSpan delay);
}
