using System.Collections.Concurrent;
using System.Security.Claims;
using FlinkOpsBot.Teams.Auth;

namespace FlinkOpsBot.Teams.Tests.Fakes;

/// <summary>Accepts exactly the header <see cref="ValidHeader"/> and records what it was asked.</summary>
internal sealed class FakeTokenValidator : IInboundTokenValidator
{
    public const string ValidHeader = "Bearer valid-test-token";

    public ConcurrentQueue<(string? Header, string ChannelId, string ServiceUrl)> Calls { get; } = new();

    public Task<InboundAuthResult> ValidateAsync(string? authorizationHeader, string channelId, string serviceUrl, CancellationToken cancellationToken)
    {
        Calls.Enqueue((authorizationHeader, channelId, serviceUrl));
        return Task.FromResult(authorizationHeader == ValidHeader
            ? InboundAuthResult.Valid(new ClaimsIdentity([new Claim("serviceurl", serviceUrl)], "Bearer"))
            : InboundAuthResult.Refused("not the test token"));
    }
}
