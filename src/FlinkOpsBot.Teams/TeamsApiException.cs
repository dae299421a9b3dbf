namespace FlinkOpsBot.Teams;

/// <summary>
/// A Bot Connector call that did not succeed: the Connector answered an error status after the retries (429 is
/// retried after <c>Retry-After</c>; GET and PUT are also retried on 5xx; POST, which creates a message, is retried only
/// when it cannot have been delivered), the bot's token could not be obtained, or the call was refused before it was
/// made because its serviceUrl never came from a verified activity. The message names the operation, the status and
/// the Connector's error code; it never carries a token or a secret.
/// </summary>
/// <remarks>
/// The Connector's error body is <c>{"error":{"code":"…","message":"…"}}</c> (Bot Framework REST API reference,
/// <c>ErrorResponse</c>). Codes worth handling: <c>BotNotInConversationRoster</c> (the app was removed from the team or
/// chat), <c>ConversationNotFound</c>, <c>MessageSizeTooBig</c> (413, the card is too large), <c>BadSyntax</c>,
/// <c>Unauthorized</c>/<c>Forbidden</c>. Without a JSON body the code is <c>http_&lt;status&gt;</c>.
/// </remarks>
public sealed class TeamsApiException : Exception
{
    /// <summary>The error code used when a call is refused because its serviceUrl is not a verified one.</summary>
    public const string UntrustedServiceUrl = "UntrustedServiceUrl";

    /// <summary>The error code used when the bot's token could not be obtained from Entra ID.</summary>
    public const string TokenUnavailable = "TokenUnavailable";

    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What was attempted, e.g. <c>POST activities</c>.</param>
    /// <param name="statusCode">The HTTP status of the last answer; 0 when no request was answered.</param>
    /// <param name="errorCode">The Connector's error code, e.g. <c>ConversationNotFound</c>.</param>
    /// <param name="errorMessage">The Connector's error message, if any.</param>
    /// <param name="innerException">The failure behind it, if any.</param>
    public TeamsApiException(string operation, int statusCode, string errorCode, string? errorMessage = null, Exception? innerException = null)
        : base($"Teams {operation} failed: {errorCode} (HTTP {statusCode}){(string.IsNullOrEmpty(errorMessage) ? "" : ": " + errorMessage)}", innerException)
    {
        Operation = operation;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    /// <summary>What was attempted, e.g. <c>PUT activity</c>.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status of the last answer, e.g. 404; 0 when no request was answered.</summary>
    public int StatusCode { get; }

    /// <summary>The Connector's <c>error.code</c>, or <c>http_&lt;status&gt;</c>, <see cref="UntrustedServiceUrl"/> or <see cref="TokenUnavailable"/>.</summary>
    public string ErrorCode { get; }

    /// <summary>The Connector's <c>error.message</c>, if it sent one.</summary>
    public string? ErrorMessage { get; }
}
