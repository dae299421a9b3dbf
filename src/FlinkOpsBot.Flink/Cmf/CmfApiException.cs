using FlinkOpsBot.Core.Platforms;

namespace FlinkOpsBot.Flink.Cmf;

/// <summary>
/// A CMF REST call (<c>/cmf/api/v1</c>) that did not succeed. <see cref="PlatformException.StatusCode"/> is the HTTP status
/// CMF answered with, or 0 when no answer arrived (connection failure, per-attempt timeout, open circuit). The
/// <see cref="Exception.Message"/> is one line, safe to show in chat: the first line of CMF's <c>errors[0].message</c>
/// (CMF's <c>RestError</c> body, <c>{"errors":[{"message":"…"}]}</c>), or of the raw body when it is not that shape.
/// </summary>
/// <remarks>
/// Statuses worth handling: 404 (environment, application, statement or savepoint not found), 409 (a statement or
/// savepoint of that name exists; a compute pool or catalog is in use), 422 (a semantically invalid spec), 401/403 (the
/// bot's principal is not authenticated or lacks a role binding in CMF's RBAC).
/// </remarks>
public sealed class CmfApiException : PlatformException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line, safe to show in chat.</param>
    /// <param name="statusCode">The HTTP status CMF answered with, or 0 when no answer arrived.</param>
    /// <param name="innerException">The transport or parsing failure behind it, if any.</param>
    public CmfApiException(string message, int statusCode, Exception? innerException = null)
        : base(message, statusCode, innerException)
    {
    }
}
