namespace FlinkOpsBot.Flink.Cmf;

/// <summary>How the bot authenticates to CMF (CMF supports mTLS and OAuth bearer tokens; HTTP Basic is not supported).</summary>
public enum CmfAuthMode
{
    /// <summary>No credentials (CMF's default: authentication disabled). HTTPS with a public CA still works.</summary>
    None,

    /// <summary>A client certificate (CMF <c>cmf.authentication.type: mtls</c>): <see cref="CmfAuthOptions.ClientCertificatePath"/> and <see cref="CmfAuthOptions.ClientKeyPath"/>.</summary>
    MutualTls,

    /// <summary>
    /// <c>Authorization: Bearer</c> (CMF <c>cmf.authentication.type: oauth</c>): a static <see cref="CmfAuthOptions.Token"/>, or an
    /// OAuth 2.0 client-credentials grant at <see cref="CmfAuthOptions.TokenEndpoint"/>.
    /// </summary>
    Bearer,
}

/// <summary>
/// A CMF cluster's credentials (configuration <c>Flink:Clusters:N:Auth</c>). Secrets are never defaulted and never logged.
/// Example (OAuth client credentials):
/// <code>
/// "Auth": { "Mode": "Bearer", "TokenEndpoint": "https://idp.example/oauth2/token", "ClientId": "flinkopsbot",
///           "ClientSecret": "(from a secret store)", "Scope": "cmf" }
/// </code>
/// </summary>
public sealed class CmfAuthOptions
{
    /// <summary>The mode; default <see cref="CmfAuthMode.None"/>.</summary>
    public CmfAuthMode Mode { get; set; } = CmfAuthMode.None;

    /// <summary>MutualTls: the client certificate, a PEM file (the chain may follow the leaf).</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>MutualTls: the client certificate's private key, an unencrypted PEM file (PKCS#8 or PKCS#1).</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>Optional for any mode over HTTPS: a PEM file of CA certificates that CMF's server certificate must chain to (instead of the system's trust store).</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Bearer: a static token (e.g. an MDS token); used when <see cref="TokenEndpoint"/> is not set. A secret.</summary>
    public string? Token { get; set; }

    /// <summary>Bearer: the OAuth 2.0 token endpoint for the client-credentials grant, e.g. <c>https://idp.example/oauth2/token</c>.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>Bearer with <see cref="TokenEndpoint"/>: the client id.</summary>
    public string? ClientId { get; set; }

    /// <summary>Bearer with <see cref="TokenEndpoint"/>: the client secret. A secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Bearer with <see cref="TokenEndpoint"/>: the scope to ask for, if the identity provider needs one.</summary>
    public string? Scope { get; set; }

    /// <summary>
    /// What is wrong with these settings, one message per problem naming the setting under <paramref name="at"/> (e.g.
    /// <c>Flink:Clusters:1:Auth</c>); empty when they are usable. Files must exist, and a client certificate and key must load.
    /// </summary>
    public IReadOnlyList<string> Problems(string at)
    {
        var problems = new List<string>();
        switch (Mode)
        {
            case CmfAuthMode.MutualTls:
                RequireFile(ClientCertificatePath, $"{at}:ClientCertificatePath", "the client certificate (PEM) for Mode MutualTls");
                RequireFile(ClientKeyPath, $"{at}:ClientKeyPath", "the client certificate's private key (PEM) for Mode MutualTls");
                if (problems.Count == 0)
                {
                    try
                    {
                        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(ClientCertificatePath!, ClientKeyPath);
                    }
                    catch (System.Security.Cryptography.CryptographicException e)
                    {
                        problems.Add($"{at}:ClientCertificatePath and {at}:ClientKeyPath do not hold a PEM certificate and its unencrypted private key: {e.Message}");
                    }
                }
                break;
            case CmfAuthMode.Bearer when !string.IsNullOrWhiteSpace(TokenEndpoint):
                if (!Uri.TryCreate(TokenEndpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
                {
                    problems.Add($"{at}:TokenEndpoint must be an absolute http(s) URL such as https://idp.example/oauth2/token, not '{TokenEndpoint}'.");
                }
                if (string.IsNullOrWhiteSpace(ClientId)) problems.Add($"{at}:ClientId is required with {at}:TokenEndpoint (OAuth client credentials).");
                if (string.IsNullOrWhiteSpace(ClientSecret)) problems.Add($"{at}:ClientSecret is required with {at}:TokenEndpoint (OAuth client credentials); keep it in a secret store.");
                break;
            case CmfAuthMode.Bearer:
                if (string.IsNullOrWhiteSpace(Token))
                {
                    problems.Add($"{at}:Mode Bearer needs {at}:Token (a static token) or {at}:TokenEndpoint with ClientId and ClientSecret (OAuth client credentials).");
                }
                break;
        }
        if (!string.IsNullOrWhiteSpace(CaCertificatePath)) RequireFile(CaCertificatePath, $"{at}:CaCertificatePath", "the CA certificates (PEM)");
        return problems;

        void RequireFile(string? path, string setting, string what)
        {
            if (string.IsNullOrWhiteSpace(path)) problems.Add($"{setting} is required: {what}.");
            else if (!File.Exists(path)) problems.Add($"{setting} '{path}' does not exist: {what}.");
        }
    }
}
