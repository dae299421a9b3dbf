using System.Collections.Concurrent;

namespace FlinkOpsBot.Teams.Connector;

/// <summary>
/// The Connector base URLs (<c>serviceUrl</c>) the bot may call, and the one to use for each conversation. A serviceUrl
/// becomes trusted only when it arrives in an activity whose token was verified (the token's <c>serviceurl</c> claim
/// matches it), or when it is read back from the bot's own store, where only verified ones are written. The
/// <see cref="ConnectorClient"/> refuses any other, so a forged activity cannot make the bot send its token elsewhere.
/// In memory: a restart forgets the conversations until their next activity (cards keep theirs in
/// <c>CardLocation.Properties["serviceUrl"]</c>).
/// </summary>
internal sealed class ServiceUrls
{
    /// <summary>Conversations remembered at most; beyond, the oldest knowledge is dropped wholesale (it is refilled by the next activity).</summary>
    private const int MaxConversations = 10_000;

    private readonly ConcurrentDictionary<string, byte> _trusted = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Uri> _byConversation = new(StringComparer.Ordinal);

    /// <summary>
    /// The serviceUrl as a base address: absolute http(s), no query or fragment, ending in <c>/</c>; null when it is not
    /// one. (Teams sends e.g. <c>https://smba.trafficmanager.net/amer/</c>.)
    /// </summary>
    public static Uri? Normalize(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) return null;
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo)) return null;
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    /// <summary>Records the serviceUrl of a verified activity, and that <paramref name="conversationId"/> is served by it.</summary>
    public void RememberVerified(Uri serviceUrl, string? conversationId)
    {
        Trust(serviceUrl);
        if (string.IsNullOrEmpty(conversationId)) return;
        if (_byConversation.Count >= MaxConversations) _byConversation.Clear();
        _byConversation[conversationId] = serviceUrl;
    }

    /// <summary>Trusts a serviceUrl read back from the bot's own store (written only from verified activities).</summary>
    public void Trust(Uri serviceUrl) => _trusted.TryAdd(serviceUrl.AbsoluteUri, 0);

    /// <summary>True when <paramref name="serviceUrl"/> came from a verified activity or the bot's store.</summary>
    public bool IsTrusted(Uri serviceUrl) => _trusted.ContainsKey(serviceUrl.AbsoluteUri);

    /// <summary>The verified serviceUrl of the conversation's latest activity, or null when none arrived since the start.</summary>
    public Uri? ForConversation(string conversationId) => _byConversation.GetValueOrDefault(conversationId);
}
