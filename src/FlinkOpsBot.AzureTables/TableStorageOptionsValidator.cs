using System.Text.RegularExpressions;
using FlinkOpsBot.AzureTables.Rest;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.AzureTables;

/// <summary>
/// Validates <see cref="TableStorageOptions"/> with messages that name the setting by its configuration path
/// (e.g. <c>Storage:ConnectionString</c>) and say what is wrong, without repeating secret values.
/// </summary>
internal sealed partial class TableStorageOptionsValidator(string sectionPath) : IValidateOptions<TableStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, TableStorageOptions options)
    {
        var failures = new List<string>();
        var connectionString = $"{sectionPath}:{nameof(TableStorageOptions.ConnectionString)}";
        var tableEndpoint = $"{sectionPath}:{nameof(TableStorageOptions.TableEndpoint)}";

        switch (options)
        {
            case { ConnectionString: null or "", TableEndpoint: null }:
                failures.Add($"{connectionString} or {tableEndpoint} must be set: a connection string with an account key, or the table endpoint for Entra ID (managed identity).");
                break;
            case { ConnectionString: not (null or ""), TableEndpoint: not null }:
                failures.Add($"Set {connectionString} or {tableEndpoint}, not both.");
                break;
            case { ConnectionString: { Length: > 0 } text }:
                if (!TableConnectionString.TryParse(text, out _, out var error)) failures.Add($"{connectionString} is not valid: {error}");
                break;
            case { TableEndpoint: { } endpoint }:
                if (!endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps)
                {
                    failures.Add($"{tableEndpoint} must be an absolute https URI (Entra ID tokens are sent only over TLS), e.g. https://myaccount.table.core.windows.net.");
                }
                break;
        }

        if (!TablePrefixPattern().IsMatch(options.TablePrefix))
        {
            failures.Add($"{sectionPath}:{nameof(TableStorageOptions.TablePrefix)} must be a letter followed by letters and digits, at most 50 characters (table names are at most 63).");
        }
        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{sectionPath}:{nameof(TableStorageOptions.MaxRetries)} must be between 0 and 10.");
        }
        if (options.RetryDelay <= TimeSpan.Zero || options.RetryDelay > options.MaxRetryDelay)
        {
            failures.Add($"{sectionPath}:{nameof(TableStorageOptions.RetryDelay)} must be positive and at most {sectionPath}:{nameof(TableStorageOptions.MaxRetryDelay)}.");
        }
        if (options.NetworkTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{sectionPath}:{nameof(TableStorageOptions.NetworkTimeout)} must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,49}$")]
    private static partial Regex TablePrefixPattern();
}
