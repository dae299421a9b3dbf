namespace FlinkOpsBot.Slack;

/// <summary>
/// A Slack Web API call that did not succeed: Slack answered <c>{"ok": false, "error": "…"}</c>, or an HTTP error
/// status remained after the retries (429 rate limits are retried after <c>Retry-After</c>, 5xx with backoff).
/// The message names the method and Slack's error code; it never carries the token.
/// </summary>
/// <remarks>
/// Error codes worth handling (Slack Web API docs): <c>channel_not_found</c> and <c>not_in_channel</c> (invite the
/// bot, or grant <c>chat:write.public</c>), <c>is_archived</c>, <c>message_not_found</c> and
/// <c>cant_update_message</c> (the card was deleted), <c>invalid_blocks</c>, <c>invalid_auth</c>,
/// <c>token_revoked</c>, <c>ratelimited</c>. An HTTP error without a Slack answer is reported as <c>http_&lt;status&gt;</c>.
/// </remarks>
public sealed class SlackApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The Web API method, e.g. <c>chat.postMessage</c>.</param>
    /// <param name="error">Slack's error code, e.g. <c>channel_not_found</c>.</param>
    /// <param name="statusCode">The HTTP status of Slack's answer (200 for <c>ok: false</c>).</param>
    /// <param name="innerException">The parsing failure behind it, if any.</param>
    public SlackApiException(string method, string error, int statusCode, Exception? innerException = null)
        : base($"Slack {method} failed: {error} (HTTP {statusCode}).", innerException)
    {
        Method = method;
        Error = error;
        StatusCode = statusCode;
    }

    /// <summary>The Web API method, e.g. <c>chat.update</c>.</summary>
    public string Method { get; }

    /// <summary>Slack's error code, e.g. <c>message_not_found</c>, or <c>http_&lt;status&gt;</c> when Slack sent no JSON answer.</summary>
    public string Error { get; }

    /// <summary>The HTTP status of the last answer: 200 for <c>ok: false</c>, 429 when still rate limited after the retries.</summary>
    public int StatusCode { get; }
}
