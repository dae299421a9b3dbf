using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Teams;

/// <summary>Validates <see cref="TeamsOptions"/> at start; each failure names the setting and says where to find its value. Never echoes a secret.</summary>
internal sealed class TeamsOptionsValidator : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        var failures = new List<string>();
        const string Section = TeamsOptions.SectionName;
        if (!Guid.TryParse(options.AppId, out _))
        {
            failures.Add($"{Section}:{nameof(TeamsOptions.AppId)} is required: the bot's Microsoft App ID, a GUID (Azure Bot resource → Configuration).");
        }

        var credentials = new[] { options.AppPassword, options.CertificatePath, options.CertificateThumbprint }.Count(c => !string.IsNullOrWhiteSpace(c));
        if (credentials == 0)
        {
            failures.Add($"{Section}:{nameof(TeamsOptions.AppPassword)} (a client secret) or {Section}:{nameof(TeamsOptions.CertificatePath)} or {Section}:{nameof(TeamsOptions.CertificateThumbprint)} is required: the app registration's credential (Entra → App registrations → Certificates & secrets).");
        }
        else if (credentials > 1)
        {
            failures.Add($"Set only one of {Section}:{nameof(TeamsOptions.AppPassword)}, {Section}:{nameof(TeamsOptions.CertificatePath)} and {Section}:{nameof(TeamsOptions.CertificateThumbprint)}.");
        }
        if (!string.IsNullOrWhiteSpace(options.CertificatePath) && !File.Exists(options.CertificatePath))
        {
            failures.Add($"{Section}:{nameof(TeamsOptions.CertificatePath)} names a file that does not exist: {options.CertificatePath}.");
        }

        // The tenant also decides which Entra-issued inbound tokens are accepted, so it must be a GUID whenever it is set,
        // even when Authority points the outbound token elsewhere.
        if (!string.IsNullOrWhiteSpace(options.TenantId) && !Guid.TryParse(options.TenantId, out _))
        {
            failures.Add($"{Section}:{nameof(TeamsOptions.TenantId)} must be the Entra tenant id, a GUID (Azure Bot resource → Configuration → App Tenant ID); it is '{options.TenantId}'.");
        }
        else if (options.Authority is null && string.IsNullOrWhiteSpace(options.TenantId))
        {
            failures.Add($"{Section}:{nameof(TeamsOptions.TenantId)} is required: the Entra tenant id (GUID) of the single-tenant bot (Azure Bot resource → Configuration → App Tenant ID); or set {Section}:{nameof(TeamsOptions.Authority)}.");
        }
        if (options.Authority is not null && !IsAcceptableAuthority(options.Authority))
        {
            failures.Add($"{Section}:{nameof(TeamsOptions.Authority)} must be an absolute https URL such as https://login.microsoftonline.com/<tenant id> (http only for a loopback host); it is {options.Authority}.");
        }

        if (options.OpenIdMetadataUrl is not { IsAbsoluteUri: true } metadata || !(metadata.Scheme == Uri.UriSchemeHttps || metadata.IsLoopback))
        {
            failures.Add($"{Section}:{nameof(TeamsOptions.OpenIdMetadataUrl)} must be an absolute https URL; default {TeamsOptions.BotFrameworkOpenIdMetadataUrl}.");
        }
        if (options.GraphBaseUrl is not { IsAbsoluteUri: true } graph || !(graph.Scheme == Uri.UriSchemeHttps || graph.IsLoopback))
        {
            failures.Add($"{Section}:{nameof(TeamsOptions.GraphBaseUrl)} must be an absolute https URL; default {TeamsOptions.DefaultGraphBaseUrl}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAcceptableAuthority(Uri authority) =>
        authority.IsAbsoluteUri
        && (authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback))
        && authority.AbsolutePath.Trim('/').Length > 0;
}
