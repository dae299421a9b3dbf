using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Teams.Auth;

/// <summary>The inbound-auth log lines. None carries a token or any of its contents.</summary>
internal static partial class TeamsAuthLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "OpenID metadata {Address} could not be fetched; inbound Teams requests are refused until it can")]
    public static partial void MetadataUnavailable(ILogger logger, Exception exception, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenID metadata {Address} could not be refreshed; the signing keys fetched before stay in use")]
    public static partial void MetadataStale(ILogger logger, Exception exception, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "A token names a signing key not in {Address}'s key set; fetching the keys again")]
    public static partial void ForcedMetadataRefresh(ILogger logger, string address);
}
