using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace FlinkOpsBot.Teams.Auth;

/// <summary>
/// One OpenID metadata document and its JWKS, fetched on first use and kept for <c>refreshInterval</c>
/// on the injected clock. A key rotation is picked up at once through <see cref="ForceRefreshAsync"/>, at most once per
/// <c>minimumForcedRefreshInterval</c>. When a refresh fails the keys already held keep being used (stale keys are better
/// than none; the failure is logged); with nothing held the failure is thrown.
/// </summary>
/// <remarks>
/// Not IdentityModel's <c>ConfigurationManager</c>: in 8.x its <c>RequestRefresh</c> refreshes on a background task
/// and the next <c>GetConfigurationAsync</c> returns the old keys, so "refresh once, then retry" would race; and it keeps
/// time on its own clock, not on <see cref="TimeProvider"/>. Fetching is still IdentityModel's
/// (<see cref="OpenIdConnectConfigurationRetriever"/>: the metadata, then its <c>jwks_uri</c>).
/// </remarks>
internal sealed class OpenIdMetadataCache
{
    private readonly IDocumentRetriever _retriever;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _minimumForcedRefreshInterval;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _fetchGate = new(1, 1);
    private volatile Snapshot _snapshot = new(null, DateTimeOffset.MinValue, DateTimeOffset.MinValue);

    public OpenIdMetadataCache(
        string address, IDocumentRetriever retriever, TimeProvider time,
        TimeSpan refreshInterval, TimeSpan minimumForcedRefreshInterval, ILogger logger)
    {
        Address = address;
        _retriever = retriever;
        _time = time;
        _refreshInterval = refreshInterval;
        _minimumForcedRefreshInterval = minimumForcedRefreshInterval;
        _logger = logger;
    }

    /// <summary>The metadata document's address.</summary>
    public string Address { get; }

    /// <summary>The held metadata, fetched first when there is none or it is older than the refresh interval.</summary>
    /// <exception cref="InvalidOperationException">Nothing is held and the metadata or its keys could not be fetched.</exception>
    public async Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken)
    {
        var held = _snapshot;
        if (held.Configuration is not null && _time.GetUtcNow() < held.RefreshDue) return held.Configuration;

        await _fetchGate.WaitAsync(cancellationToken);
        try
        {
            held = _snapshot; // another caller may have fetched while this one waited
            if (held.Configuration is not null && _time.GetUtcNow() < held.RefreshDue) return held.Configuration;
            return await FetchAsync(held, cancellationToken);
        }
        finally
        {
            _fetchGate.Release();
        }
    }

    /// <summary>
    /// Fetches again because <paramref name="seen"/> lacks a key a token names, unless another caller has fetched since
    /// <paramref name="seen"/> was handed out or the last forced fetch is more recent than the minimum forced refresh
    /// interval (the first one is never held back); then returns what is held.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing is held and the metadata or its keys could not be fetched.</exception>
    public async Task<OpenIdConnectConfiguration> ForceRefreshAsync(OpenIdConnectConfiguration seen, CancellationToken cancellationToken)
    {
        await _fetchGate.WaitAsync(cancellationToken);
        try
        {
            var held = _snapshot;
            var now = _time.GetUtcNow();
            if (held.Configuration is not null
                && (!ReferenceEquals(held.Configuration, seen) || now < held.LastForcedRefresh + _minimumForcedRefreshInterval))
            {
                return held.Configuration;
            }
            TeamsAuthLog.ForcedMetadataRefresh(_logger, Address);
            return await FetchAsync(held with { LastForcedRefresh = now }, cancellationToken);
        }
        finally
        {
            _fetchGate.Release();
        }
    }

    private async Task<OpenIdConnectConfiguration> FetchAsync(Snapshot held, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(Address, _retriever, cancellationToken);
            _snapshot = held with { Configuration = configuration, RefreshDue = now + _refreshInterval };
            return configuration;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (held.Configuration is null)
            {
                _snapshot = held;
                throw new InvalidOperationException($"OpenID metadata {Address} could not be fetched", e);
            }
            // Keep the old keys; try again after the forced-refresh interval rather than on every request.
            TeamsAuthLog.MetadataStale(_logger, e, Address);
            _snapshot = held with { RefreshDue = now + _minimumForcedRefreshInterval };
            return held.Configuration;
        }
    }

    /// <param name="Configuration">The held metadata with its keys, or null before the first successful fetch.</param>
    /// <param name="RefreshDue">When <see cref="GetAsync"/> fetches again.</param>
    /// <param name="LastForcedRefresh">When <see cref="ForceRefreshAsync"/> last fetched (or tried to).</param>
    private sealed record Snapshot(OpenIdConnectConfiguration? Configuration, DateTimeOffset RefreshDue, DateTimeOffset LastForcedRefresh);
}
