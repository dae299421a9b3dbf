using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FlinkOpsBot.AzureTables.Rest;

/// <summary>
/// Stamps every attempt with <c>x-ms-date</c> (RFC 1123), which Azure Storage requires on authorized requests and
/// which the shared key signature covers. Runs per retry, so a retried request is not signed with a stale date.
/// </summary>
internal sealed class StorageDatePolicy(TimeProvider time) : HttpPipelineSynchronousPolicy
{
    internal const string HeaderName = "x-ms-date";

    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue(HeaderName, time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
}
