using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FlinkOpsBot.AzureTables.Rest;

/// <summary>
/// Signs requests with the account key, Table service "Shared Key Lite" scheme (the one Azure.Data.Tables uses):
/// <c>Authorization: SharedKeyLite account:base64(HMAC-SHA256(key, x-ms-date + "\n" + CanonicalizedResource))</c>,
/// where CanonicalizedResource is <c>/account</c> + the request's escaped path + <c>?comp=…</c> if present.
/// See "Authorize with Shared Key", section "Shared Key Lite and Table service format for 2009-09-19 and later".
/// Must run after <see cref="StorageDatePolicy"/>.
/// </summary>
internal sealed class SharedKeyLitePolicy(string accountName, byte[] accountKey) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        if (!request.Headers.TryGetValue(StorageDatePolicy.HeaderName, out var date))
        {
            throw new InvalidOperationException($"{nameof(StorageDatePolicy)} must run before {nameof(SharedKeyLitePolicy)}.");
        }
        var signature = HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(StringToSign(date, request.Uri.ToUri())));
        request.Headers.SetValue(HttpHeader.Names.Authorization, $"SharedKeyLite {accountName}:{Convert.ToBase64String(signature)}");
    }

    internal string StringToSign(string date, Uri uri) => date + "\n" + CanonicalizedResource(uri);

    internal string CanonicalizedResource(Uri uri)
    {
        // The path exactly as escaped in the request; of the query, only comp counts.
        var resource = new StringBuilder("/").Append(accountName).Append(uri.AbsolutePath);
        foreach (var parameter in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (parameter.StartsWith("comp=", StringComparison.Ordinal))
            {
                resource.Append('?').Append(Uri.UnescapeDataString(parameter));
            }
        }
        return resource.ToString();
    }
}
