using System.Diagnostics.CodeAnalysis;

namespace FlinkOpsBot.AzureTables.Rest;

/// <summary>
/// The parts of an Azure Storage connection string the Table client needs: the table endpoint and the shared key.
/// Accepts <c>AccountName=…;AccountKey=…</c> with an optional <c>TableEndpoint</c> (otherwise built from
/// <c>DefaultEndpointsProtocol</c> and <c>EndpointSuffix</c>), and <c>UseDevelopmentStorage=true</c> (Azurite's
/// well-known account on its default port). Other services' endpoints are ignored. Error messages name the part
/// that is wrong and never repeat a value, so they are safe to log.
/// </summary>
internal sealed class TableConnectionString
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft; not a secret).</summary>
    internal const string DevelopmentAccountName = "devstoreaccount1";

    internal const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private TableConnectionString(Uri tableEndpoint, string accountName, byte[] accountKey)
    {
        TableEndpoint = tableEndpoint;
        AccountName = accountName;
        AccountKey = accountKey;
    }

    public Uri TableEndpoint { get; }

    public string AccountName { get; }

    public byte[] AccountKey { get; }

    /// <exception cref="FormatException">The text is not a usable connection string; the message says which part.</exception>
    public static TableConnectionString Parse(string text) =>
        TryParse(text, out var parsed, out var error) ? parsed : throw new FormatException(error);

    public static bool TryParse(string text, [NotNullWhen(true)] out TableConnectionString? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var segments = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            var equals = segments[i].IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"part {i + 1} is not Name=Value.";
                return false;
            }
            parts[segments[i][..equals].Trim()] = segments[i][(equals + 1)..].Trim();
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var development) && bool.TryParse(development, out var useDevelopment) && useDevelopment)
        {
            parsed = new TableConnectionString(
                new Uri($"http://127.0.0.1:10002/{DevelopmentAccountName}"), DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey));
            error = null;
            return true;
        }
        if (parts.ContainsKey("SharedAccessSignature"))
        {
            error = "SharedAccessSignature is not supported: give AccountName and AccountKey, or use the table endpoint with Entra ID.";
            return false;
        }
        if (!parts.TryGetValue("AccountName", out var accountName) || accountName.Length == 0)
        {
            error = "AccountName is missing.";
            return false;
        }
        if (!parts.TryGetValue("AccountKey", out var accountKeyText) || accountKeyText.Length == 0)
        {
            error = "AccountKey is missing.";
            return false;
        }
        var accountKey = new byte[accountKeyText.Length];
        if (!Convert.TryFromBase64String(accountKeyText, accountKey, out var keyLength))
        {
            error = "AccountKey is not valid base64 (copy key1 or key2 from the storage account's Access keys).";
            return false;
        }

        Uri? endpoint;
        if (parts.TryGetValue("TableEndpoint", out var endpointText))
        {
            if (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https"))
            {
                error = "TableEndpoint is not an absolute http or https URI.";
                return false;
            }
        }
        else
        {
            var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
            if (protocol is not ("http" or "https"))
            {
                error = "DefaultEndpointsProtocol must be http or https.";
                return false;
            }
            var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            if (!Uri.TryCreate($"{protocol}://{accountName}.table.{suffix}", UriKind.Absolute, out endpoint))
            {
                error = "AccountName and EndpointSuffix do not form a valid host name.";
                return false;
            }
        }

        parsed = new TableConnectionString(endpoint, accountName, accountKey[..keyLength]);
        error = null;
        return true;
    }
}
