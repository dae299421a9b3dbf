using FlinkOpsBot.Core.Platforms;

namespace FlinkOpsBot.Flink;

/// <summary>
/// A Flink REST call that did not succeed. <see cref="PlatformException.StatusCode"/> is the HTTP status Flink
/// answered with, or 0 when no answer arrived (connection failure, per-attempt timeout, or the cluster's circuit
/// breaker is open). The <see cref="Exception.Message"/> is one line, safe to show in chat: for an error answer it
/// is the first line of Flink's <c>errors[0]</c> (the exception class without its Java package, and its message),
/// never the Java stack trace Flink sends after it.
/// </summary>
/// <remarks>
/// Statuses worth handling: 404 for an unknown job or route; 409 when cancelling a job that already ended
/// FINISHED or FAILED; 400 for a request Flink cannot parse (e.g. no savepoint directory configured and none given);
/// 503 during JobManager leader election. <see cref="PlatformException.IsTransient"/> tells whether a later retry may succeed.
/// </remarks>
public sealed class FlinkApiException : PlatformException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line, safe to show in chat.</param>
    /// <param name="statusCode">The HTTP status Flink answered with, or 0 when no answer arrived.</param>
    /// <param name="innerException">The transport or parsing failure behind it, if any.</param>
    public FlinkApiException(string message, int statusCode, Exception? innerException = null)
        : base(message, statusCode, innerException)
    {
    }
}
