namespace FlinkOpsBot.Slack.Verification;

/// <summary>The outcome of checking a request's Slack signature; anything but <see cref="Valid"/> is answered 401.</summary>
internal enum SignatureCheck
{
    /// <summary>Signed with the signing secret within the freshness window.</summary>
    Valid,
    /// <summary><c>X-Slack-Request-Timestamp</c> or <c>X-Slack-Signature</c> is missing or not well-formed.</summary>
    MissingHeaders,
    /// <summary>The timestamp is more than five minutes away from the host clock (a replay, or a skewed clock).</summary>
    Stale,
    /// <summary>The signature does not match the body.</summary>
    Mismatch,
}
