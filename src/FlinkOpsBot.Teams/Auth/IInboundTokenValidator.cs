using System.Security.Claims;

namespace FlinkOpsBot.Teams.Auth;

/// <summary>The outcome of validating an inbound Bot Framework request's bearer token.</summary>
/// <param name="Identity">The validated token's claims, when valid.</param>
/// <param name="Failure">Why the token was refused (for logs only; never sent to the caller), when not valid.</param>
internal sealed record InboundAuthResult(ClaimsIdentity? Identity, string? Failure)
{
    public bool IsValid => Identity is not null;

    public static InboundAuthResult Valid(ClaimsIdentity identity) => new(identity, null);

    public static InboundAuthResult Refused(string failure) => new(null, failure);
}

/// <summary>
/// Validates the <c>Authorization: Bearer</c> token of a request to <c>/api/messages</c> as the Bot Framework requires:
/// signing key from the OpenID metadata's JWKS endorsed for the activity's <c>channelId</c>, issuer, audience = app id,
/// lifetime with 5 minutes' skew, RS256/384/512 only, and the <c>serviceurl</c> claim equal to the activity's serviceUrl.
/// </summary>
internal interface IInboundTokenValidator
{
    /// <param name="authorizationHeader">The raw <c>Authorization</c> header value, or null.</param>
    /// <param name="channelId">The activity's <c>channelId</c> (e.g. <c>msteams</c>).</param>
    /// <param name="serviceUrl">The activity's <c>serviceUrl</c>.</param>
    /// <param name="cancellationToken">Cancels metadata retrieval.</param>
    Task<InboundAuthResult> ValidateAsync(string? authorizationHeader, string channelId, string serviceUrl, CancellationToken cancellationToken);
}
